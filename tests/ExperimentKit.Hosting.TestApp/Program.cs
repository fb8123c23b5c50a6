using ExperimentKit.Hosting;
using ExperimentKit.Hosting.TestApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The sweep comes from the command line (Index=range(0,300)); settings from --ExperimentKit:Root=... etc.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddExperimentKit(builder.Configuration, args).AddExperiment<SoakParams, SoakRunner>();
using var host = builder.Build();
await host.RunAsync();
