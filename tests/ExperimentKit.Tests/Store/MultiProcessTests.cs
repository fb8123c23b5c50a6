using ExperimentKit.TestWorker;

namespace ExperimentKit.Tests.Store;

/// <summary>Real processes sharing one root: exactly-once execution, and crash takeover with resume.</summary>
[Collection(nameof(ProcessTests))]
public class MultiProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Four_processes_on_one_root_run_each_of_400_points_exactly_once()
    {
        using var root = new TempRoot("expkit-tests");
        var markers = root.Combine("markers");
        Directory.CreateDirectory(markers);
        var store = root.Combine("store");

        var workers = Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start("race", store, "400", markers)).ToList();
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync(Patience) == 0, worker.Errors);
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        // One marker per runner execution: every key ran, and none ran twice.
        var executions = Directory.GetFiles(markers).Select(f => Path.GetFileName(f).Split('.')[0]).GroupBy(h => h).ToList();
        Assert.Equal(400, executions.Count);
        Assert.All(executions, g => Assert.Single(g));

        await using var opened = await ExperimentStore.OpenAsync(store);
        var runs = await opened.ListAsync<RaceParams>();
        Assert.Equal(400, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), runs.Select(r => r.Uid).Order());
        Assert.Equal(Enumerable.Range(0, 400), runs.Select(r => r.Params.Index).Order());
    }

    [Fact]
    public async Task A_run_killed_mid_way_is_taken_over_and_resumed_from_its_last_checkpoint()
    {
        using var root = new TempRoot("expkit-tests");
        var store = root.Combine("store");
        var markers = root.Combine("markers");
        Directory.CreateDirectory(markers);

        // Some finished work that the crash must not lose.
        using (var before = WorkerProcess.Start("race", store, "20", markers))
        {
            Assert.True(await before.WaitForExitAsync(Patience) == 0, before.Errors);
        }

        int killedAt;
        using (var victim = WorkerProcess.Start("checkpointed", store, "40", "100"))
        {
            var line = victim.WaitForLine(l => l.StartsWith("step 5", StringComparison.Ordinal), Patience);
            killedAt = 5;
            Assert.NotNull(line);
            victim.Kill();
        }

        await using (var inspect = await ExperimentStore.OpenAsync(store))
        {
            var orphan = await inspect.Ledger.GetAsync(RunKey.For(new CheckpointedParams(40, 7)));
            Assert.NotNull(orphan);
            Assert.Equal(RunStatus.Running, orphan.Status);
            Assert.Equal(20, (await inspect.ListAsync<RaceParams>(status: RunStatus.Completed)).Count);
        }

        using var survivor = WorkerProcess.Start("checkpointed", store, "40", "0");
        var resumed = survivor.WaitForLine(l => l.StartsWith("attempt", StringComparison.Ordinal), Patience);
        Assert.True(await survivor.WaitForExitAsync(Patience) == 0, survivor.Errors);

        // "attempt 2 resume True from N": a takeover, resumed after the last checkpoint it saw, not from step 0.
        var parts = resumed.Split(' ');
        Assert.Equal("2", parts[1]);
        Assert.Equal("True", parts[3]);
        Assert.True(int.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture) > killedAt, resumed);

        await using var after = await ExperimentStore.OpenAsync(store);
        var record = await after.RetrieveAsync(new CheckpointedParams(40, 7));
        Assert.NotNull(record);
        Assert.Equal(2, record.Attempt);
        Assert.False(record.IsMissingResult);
        Assert.Equal(40, record.Summary["steps"]);
        Assert.Equal(20, (await after.ListAsync<RaceParams>(status: RunStatus.Completed)).Count);
    }
}

/// <summary>Process tests run one at a time: each already keeps both cores busy.</summary>
[CollectionDefinition(nameof(ProcessTests), DisableParallelization = true)]
public sealed class ProcessTests
{
}
