using ExperimentKit.Hosting;
using ExperimentKit.Hosting.TestApp;
using ExperimentKit.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The sweep comes from the command line (Index=range(0,2000)); settings from --ExperimentKit:Backend=Postgres,
// --ConnectionStrings:ExperimentKit=..., --ExperimentKit:Postgres:Schema=... and the like.
// --no-postgres-ledger leaves AddPostgresLedger out, to test the start-up error that asks for it.
var withPostgres = !args.Contains("--no-postgres-ledger");
args = [.. args.Where(a => a != "--no-postgres-ledger")];
var builder = Host.CreateApplicationBuilder(args);
var kit = builder.Services.AddExperimentKit(builder.Configuration, args).AddExperiment<SoakParams, SoakRunner>();
if (withPostgres)
{
    kit.AddPostgresLedger();
}

using var host = builder.Build();
await host.RunAsync();
