using ExperimentKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace MyExperiment.Tests;

public sealed class MyExperimentTests : IDisposable
{
    // Each test gets its own ledger and run folders, removed afterwards.
    private readonly string _root = Path.Combine(Path.GetTempPath(), "MyExperiment.Tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_logs_metrics_checkpoints_and_a_result_and_is_retrieved_the_second_time()
    {
        await using var store = await ExperimentStore.OpenAsync(_root, new ExperimentStoreOptions { CheckpointEvery = 10, CheckpointKeepLast = 2 });
        var runner = new MyExperimentRunner(NullLogger<MyExperimentRunner>.Instance);
        var parameters = new MyExperimentParams(LearningRate: 0.2, Steps: 40);

        var first = await store.RunOrRetrieveAsync(parameters, runner);

        Assert.Equal(RunStatus.Completed, first.Status);
        var metrics = await store.ReadMetricsAsync(first);
        Assert.Equal(40, metrics.Count);
        Assert.True(first.Summary["loss"] < metrics[0].Values["loss"], "the loss should fall");
        // Saved at steps 10, 20, 30 and 40; the last two are kept.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(first.RunDirectory, "checkpoints")).Length);
        Assert.True(File.Exists(first.ResultPath));

        var second = await store.RunOrRetrieveAsync(parameters, runner);

        Assert.Equal(first.Uid, second.Uid);
        Assert.Equal(1, second.Attempt);
    }

    [Fact]
    public void The_hash_is_stable_and_changes_with_every_hashed_parameter()
    {
        var parameters = new MyExperimentParams(LearningRate: 0.1);

        Assert.Equal(parameters.ComputeHash(), new MyExperimentParams(0.1, Steps: 100, Seed: 1).ComputeHash());
        Assert.NotEqual(parameters.ComputeHash(), (parameters with { LearningRate = 0.2 }).ComputeHash());
        Assert.NotEqual(parameters.ComputeHash(), (parameters with { Seed = 2 }).ComputeHash());
        Assert.NotEqual(parameters.ComputeHash(), (parameters with { Noise = 0.5 }).ComputeHash());
    }

    [Fact]
    public void The_sweep_is_the_cartesian_product_of_its_axes()
    {
        var sweep = MyExperimentParams.Sweep(learningRate: [0.05, 0.2, 0.5], seed: [1, 2]);

        Assert.Equal(6, sweep.Count);
        Assert.Equal(6, sweep.Select(static p => p.ComputeHash()).Distinct().Count());
    }
}
