namespace ExperimentKit.Hosting.Tests;

/// <summary>A failing runner: exit code 1, the error in the ledger, retries within a start and on the next start.</summary>
public sealed class FailureTests
{
    private static readonly Sweep<HostedParams> Points = HostedParams.Sweep(index: [0, 1, 2, 3]);

    [Fact]
    public async Task A_failing_run_is_tried_MaxAttempts_times_recorded_failed_with_its_error_and_retried_on_the_next_start()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var settings = new Dictionary<string, string?> { ["ExperimentKit:MaxAttempts"] = "3" };
        using (var first = HostedSweep.Create(root.Path, Points, settings))
        {
            first.Probe.Body = static (p, run, ct) => ((HostedParams)p).Index == 2
                ? throw new InvalidOperationException("the loss went to NaN at step 7")
                : Probe.WriteResultAsync(p, run, ct);

            Assert.Equal(ExitCodes.RunFailed, await first.RunAsync());

            var tries = first.Probe.Calls.Where(c => ((HostedParams)c.Params).Index == 2).ToList();
            Assert.Equal([1, 2, 3], tries.Select(c => c.Attempt));
            Assert.All(tries, c => Assert.False(c.IsResume));
            Assert.Equal(3, first.Probe.Calls.Count(c => ((HostedParams)c.Params).Index != 2));
            var warnings = first.Logs.WithEvent(1003).Select(e => e.Message).ToList();
            Assert.Equal(3, warnings.Count);
            Assert.Contains(warnings, m => m.Contains("attempt 3 of 3", StringComparison.Ordinal) && m.Contains("the loss went to NaN", StringComparison.Ordinal));
        }

        var failed = Assert.Single(await HostedSweep.LedgerAsync<HostedParams>(root.Path), r => r.Status == RunStatus.Failed);
        Assert.Equal(2, failed.Params.Index);
        Assert.Equal(3, failed.Attempt);
        Assert.Contains("the loss went to NaN at step 7", failed.Row.Error, StringComparison.Ordinal);
        Assert.Equal(3, (await HostedSweep.LedgerAsync<HostedParams>(root.Path)).Count(r => r.Status == RunStatus.Completed));

        // Still failing: the next start tries it MaxAttempts times again, and skips the completed points.
        using (var second = HostedSweep.Create(root.Path, Points, settings))
        {
            second.Probe.Body = static (_, _, _) => throw new InvalidOperationException("still NaN");
            Assert.Equal(ExitCodes.RunFailed, await second.RunAsync());
            Assert.Equal([4, 5, 6], second.Probe.Calls.Select(c => c.Attempt));
            Assert.All(second.Probe.Calls, c => Assert.Equal(2, ((HostedParams)c.Params).Index));
        }

        failed = Assert.Single(await HostedSweep.LedgerAsync<HostedParams>(root.Path), r => r.Status == RunStatus.Failed);
        Assert.Equal(6, failed.Attempt);
        Assert.Contains("still NaN", failed.Row.Error, StringComparison.Ordinal);

        // Fixed: the next start runs it once more, and the sweep succeeds.
        using (var third = HostedSweep.Create(root.Path, Points, settings))
        {
            Assert.Equal(ExitCodes.Success, await third.RunAsync());
            var retry = Assert.Single(third.Probe.Calls);
            Assert.Equal(7, retry.Attempt);
        }

        var rows = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Null(rows.Single(r => r.Params.Index == 2).Row.Error);
    }

    [Fact]
    public async Task A_run_that_fails_once_succeeds_on_its_second_attempt_within_the_same_start()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points, new Dictionary<string, string?> { ["ExperimentKit:MaxAttempts"] = "3" });
        host.Probe.Body = static (p, run, ct) => ((HostedParams)p).Index == 1 && run.Attempt == 1
            ? throw new IOException("disk hiccup")
            : Probe.WriteResultAsync(p, run, ct);

        Assert.Equal(ExitCodes.Success, await host.RunAsync());

        var row = (await HostedSweep.LedgerAsync<HostedParams>(root.Path)).Single(r => r.Params.Index == 1);
        Assert.Equal(RunStatus.Completed, row.Status);
        Assert.Equal(2, row.Attempt);
        Assert.Null(row.Row.Error);
    }

    [Fact]
    public async Task With_the_default_of_one_attempt_a_failing_run_is_tried_once()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points);
        host.Probe.Body = static (p, run, ct) => ((HostedParams)p).Index == 0 ? throw new InvalidOperationException("boom") : Probe.WriteResultAsync(p, run, ct);

        Assert.Equal(ExitCodes.RunFailed, await host.RunAsync());
        Assert.Single(host.Probe.Calls, c => ((HostedParams)c.Params).Index == 0);
        Assert.Equal(1, (await HostedSweep.LedgerAsync<HostedParams>(root.Path)).Single(r => r.Params.Index == 0).Attempt);
    }
}
