using ExperimentKit.Hosting;
#if (UsePostgres)
using ExperimentKit.Postgres;
#endif
using Microsoft.Extensions.Hosting;
using MyExperiment;

// The sweep from code below is the starting point. ExperimentKit:Sweeps:myexperiment in appsettings.json
// overrides its axes, and Member=values arguments override both:
//   dotnet run --project src/MyExperiment -- LearningRate=0.05,0.5 'Seed=range(1,5)'
//   dotnet run --project src/MyExperiment -- --dry-run      (what would run, and why; runs nothing)
// Every completed point is skipped on the next start; interrupted ones resume from their last checkpoint.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json is read from beside the app, whichever folder it is started from.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.Services.AddExperimentKit(builder.Configuration, args)
#if (UsePostgres)
    // The PostgreSQL ledger, selected by ExperimentKit:Backend=Postgres and reached through
    // ConnectionStrings:ExperimentKit (appsettings.json, environment variables or arguments).
    .AddPostgresLedger()
#endif
    .AddExperiment<MyExperimentParams, MyExperimentRunner>(MyExperimentParams.Sweep(
        learningRate: [0.1],
        seed: [1, 2]));

using var host = builder.Build();
await host.RunAsync();

// The exit code was set by the worker: 0 all done, 1 a run failed, 2 bad configuration, 130 interrupted.
