using ExperimentKit;
using ExperimentKit.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuickStart;

// 3 learning rates x 3 regularisation strengths x 3 data seeds = 27 fits. Run it twice: the second run skips
// all 27. Override from the command line: dotnet run --project samples/QuickStart -- LearningRate=0.1,1 'Data.Seed=range(1,6)'
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddExperimentKit(builder.Configuration)
    .AddExperiment<FitParams, LogisticRegressionRunner>(FitParams.Sweep(
        learningRate: [0.05, 0.2, 0.8],
        l2: [0.0, 1e-3, 1e-2],
        data: DataSpec.Sweep(seed: [1, 2, 3])));

using var host = builder.Build();
await host.RunAsync();

if (Environment.ExitCode == ExitCodes.Success && !args.Contains("--dry-run"))
{
    var root = Path.GetFullPath(builder.Configuration["ExperimentKit:Root"] ?? "results");
    await using var store = await ExperimentStore.OpenAsync(root);
    var runs = await store.ListAsync<FitParams>(status: RunStatus.Completed);
    var best = runs.MaxBy(static r => r.Summary.GetValueOrDefault("accuracy"));
    Console.WriteLine($"{runs.Count} completed fits in {root}");
    if (best is not null)
    {
        Console.WriteLine($"best: run {best.Uid:D4} ({best.Params.LearningRate} rate, {best.Params.L2} L2, seed {best.Params.Data.Seed}) accuracy {best.Summary["accuracy"]:P1}");
        Console.WriteLine($"      {best.RunDirectory}");
        Console.WriteLine("      result.json, metrics.jsonl (pandas: pd.read_json(path, lines=True)), checkpoints/, params.json, run.json");
    }
}
