namespace ExperimentKit.Hosting.Tests;

/// <summary>The basic promise: every point runs once, and a worker started again on the same root runs nothing.</summary>
public sealed class SweepRunTests
{
    [Fact]
    public async Task A_sweep_runs_every_point_once_and_a_second_worker_on_the_same_root_skips_them_all()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var sweep = HostedParams.Sweep(index: Enumerable.Range(0, 12), learningRate: [0.1, 0.2]);
        var expected = sweep.ToHashSet();
        Assert.Equal(24, expected.Count);

        using (var first = HostedSweep.Create(root.Path, sweep))
        {
            Assert.Equal(ExitCodes.Success, await first.RunAsync());
            var ran = first.Probe.ParamsOf<HostedParams>().ToList();
            Assert.Equal(24, ran.Count);
            Assert.Equal(expected, ran.ToHashSet());
            Assert.Contains(first.Logs.WithEvent(1001), e => e.Message.Contains("24 run, 0 skipped", StringComparison.Ordinal));
        }

        var rows = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal(24, rows.Count);
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.All(rows, r => Assert.Equal(1, r.Attempt));
        Assert.All(rows, r => Assert.False(r.IsMissingResult));
        Assert.Equal(expected, rows.Select(r => r.Params).ToHashSet());

        using (var second = HostedSweep.Create(root.Path, sweep))
        {
            Assert.Equal(ExitCodes.Success, await second.RunAsync());
            Assert.Empty(second.Probe.Calls);
            Assert.Contains(second.Logs.WithEvent(1001), e => e.Message.Contains("0 run, 24 skipped", StringComparison.Ordinal));
        }

        var after = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal(rows.Select(r => (r.Uid, r.Attempt, r.Status)).Order(), after.Select(r => (r.Uid, r.Attempt, r.Status)).Order());
    }

    [Fact]
    public async Task Runners_are_resolved_per_run_from_their_own_scope()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var probe = new Probe();
        using var host = HostedSweep.Create(root.Path, kit => kit.AddExperiment<HostedParams, ScopedRunner>(HostedParams.Sweep(index: Enumerable.Range(0, 6))), probe: probe);
        Assert.Equal(ExitCodes.Success, await host.RunAsync());

        // One runner instance per run: a runner holding per-run state never sees another run's.
        Assert.Equal(6, ScopedRunner.Instances(probe).Count);
        Assert.Equal(6, ScopedRunner.Instances(probe).Distinct().Count());
    }
}

/// <summary>A runner that records its own identity with each call.</summary>
internal sealed class ScopedRunner(Probe probe) : IExperimentRunner<HostedParams>
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Probe, System.Collections.Concurrent.ConcurrentBag<ScopedRunner>> Seen = new();

    public static IReadOnlyCollection<ScopedRunner> Instances(Probe probe) => Seen.GetOrCreateValue(probe).ToArray();

    public Task RunAsync(HostedParams parameters, RunContext run, CancellationToken cancellationToken)
    {
        Seen.GetOrCreateValue(probe).Add(this);
        return probe.RunAsync(parameters, run, cancellationToken);
    }
}
