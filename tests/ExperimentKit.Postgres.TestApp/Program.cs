using ExperimentKit.Hosting;
using ExperimentKit.Hosting.TestApp;
using ExperimentKit.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The sweep comes from the command line (Index=range(0,2000)); settings from --ExperimentKit:Backend=Postgres,
// --ConnectionStrings:ExperimentKit=..., --ExperimentKit:Postgres:Schema=... and the like.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddExperimentKit(builder.Configuration, args).AddExperiment<SoakParams, SoakRunner>().AddPostgresLedger();
using var host = builder.Build();
await host.RunAsync();
