namespace ExperimentKit.Hosting.Tests;

/// <summary><c>--dry-run</c> lists what a start would do, point by point, and does none of it.</summary>
public sealed class DryRunTests
{
    [Fact]
    public async Task A_dry_run_lists_every_point_with_its_hash_and_verdict_and_runs_nothing()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using (var earlier = HostedSweep.Create(root.Path, HostedParams.Sweep(index: [0, 1, 2, 3])))
        {
            earlier.Probe.Body = static (p, run, ct) => ((HostedParams)p).Index == 2 ? throw new InvalidOperationException("boom") : Probe.WriteResultAsync(p, run, ct);
            Assert.Equal(ExitCodes.RunFailed, await earlier.RunAsync());
        }

        var before = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        using var host = HostedSweep.Create(root.Path, HostedParams.Sweep(index: [0]), args: ["--dry-run", "Index=range(0,6)"]);
        var output = new StringWriter();
        host.Worker.DryRunOutput = output;

        Assert.Equal(ExitCodes.Success, await host.RunAsync());

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("hosted v1: 6 points (dry run: nothing is run)", lines[0]);
        Assert.Equal(8, lines.Length);
        string[] verdicts = ["skip: completed", "skip: completed", "run: failed before (1 attempts), retry", "skip: completed", "run: new", "run: new"];
        for (var i = 0; i < 6; i++)
        {
            var point = new HostedParams(i);
            var line = lines[i + 1];
            Assert.StartsWith(point.ComputeHash().ToString() + "  " + verdicts[i] + " ", line, StringComparison.Ordinal);
            Assert.EndsWith($"Index={i} LearningRate=0.1 Epochs=1", line, StringComparison.Ordinal);
        }

        Assert.Equal("3 run, 3 skip", lines[7]);

        // Nothing ran: no runner call, no new row, no row changed.
        Assert.Empty(host.Probe.Calls);
        var after = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal(
            before.Select(r => (r.Uid, r.Status, r.Attempt, r.Row.Finished)).Order(),
            after.Select(r => (r.Uid, r.Status, r.Attempt, r.Row.Finished)).Order());
    }
}
