using System.Globalization;
using System.Text;
using ExperimentKit;
using ExperimentKit.TestWorker;

// Usage:
//   race <root> <count> <markerDir>        run-or-retrieve RaceParams(0..count-1) in a per-process order
//   checkpointed <root> <steps> <delayMs>  run CheckpointedParams(steps) with a checkpoint per step
// Every runner body that executes leaves a marker file, so tests count executions across processes.
var mode = args[0];
var root = args[1];
await using var store = await ExperimentStore.OpenAsync(root, new ExperimentStoreOptions { LeaseDuration = TimeSpan.FromSeconds(10), CheckpointKeepLast = 2 });
switch (mode)
{
    case "race":
        await RaceAsync(store, int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
        break;
    case "checkpointed":
        await CheckpointedAsync(store, int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

Console.WriteLine("done");
return 0;

static async Task RaceAsync(ExperimentStore store, int count, string markerDirectory)
{
    // Each process walks the points in its own order, so they collide all over the sweep.
    var order = Enumerable.Range(0, count).ToArray();
    new Random(Environment.ProcessId).Shuffle(order);
    await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
    {
        await store.RunOrRetrieveAsync(new RaceParams(i), async (p, run, token) =>
        {
            await File.WriteAllTextAsync(Path.Combine(markerDirectory, $"{run.Hash}.{Environment.ProcessId}.{Guid.NewGuid():N}"), p.Index.ToString(CultureInfo.InvariantCulture), token);
            await File.WriteAllTextAsync(run.ResultPath, $"{{\"index\":{p.Index}}}", token);
        }, cancellationToken: ct);
    });
}

static async Task CheckpointedAsync(ExperimentStore store, int steps, int delayMs)
{
    await store.RunOrRetrieveAsync(new CheckpointedParams(steps, 7), async (p, run, token) =>
    {
        var start = 0;
        if (run.IsResume && await run.Checkpoints.LatestAsync(token) is { } checkpoint)
        {
            await using var stream = checkpoint.OpenRead();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            start = int.Parse(await reader.ReadToEndAsync(token), CultureInfo.InvariantCulture) + 1;
        }

        Console.WriteLine($"attempt {run.Attempt} resume {run.IsResume} from {start}");
        for (var step = start; step < p.Steps; step++)
        {
            run.Log(step, "loss", 1.0 / (step + 1));
            await run.Checkpoints.SaveAsync(step, async (s, ct) => await s.WriteAsync(Encoding.UTF8.GetBytes(step.ToString(CultureInfo.InvariantCulture)), ct), token);
            Console.WriteLine($"step {step}");
            await Task.Delay(delayMs, token);
        }

        run.Summary["steps"] = p.Steps;
        await File.WriteAllTextAsync(run.ResultPath, "{\"ok\":true}", token);
    });
}
