using System.Collections.Concurrent;

namespace ExperimentKit.Hosting.Tests;

/// <summary>Ctrl+C or SIGTERM as the worker sees it: its stopping token is cancelled.</summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cancelling_mid_sweep_returns_130_records_the_running_runs_interrupted_and_the_next_start_resumes_them()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var sweep = HostedParams.Sweep(index: Enumerable.Range(0, 6));
        var lastSaved = new ConcurrentDictionary<string, long>();

        using (var first = HostedSweep.Create(root.Path, sweep))
        {
            var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            first.Probe.Body = Probe.Checkpointed(steps: 10_000, TimeSpan.FromMilliseconds(5), (run, step) =>
            {
                lastSaved[run.Hash] = step;
                if (lastSaved.Count(s => s.Value >= 2) == 2)
                {
                    bothRunning.TrySetResult();
                }
            });

            using var stop = new CancellationTokenSource();
            var running = first.RunAsync(stop.Token);
            await bothRunning.Task.WaitAsync(Patience);
            await stop.CancelAsync();

            Assert.Equal(ExitCodes.Interrupted, await running.WaitAsync(Patience));
            Assert.Equal(2, first.Probe.Calls.Count);
            Assert.Contains("2 running runs are cancelled and recorded Interrupted", Assert.Single(first.Logs.WithEvent(1006)).Message, StringComparison.Ordinal);
        }

        var interrupted = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal(2, interrupted.Count);
        Assert.All(interrupted, r => Assert.Equal((RunStatus.Interrupted, 1), (r.Status, r.Attempt)));
        Assert.Equal(lastSaved.Keys.Order(), interrupted.Select(r => r.Hash).Order());

        using (var second = HostedSweep.Create(root.Path, sweep))
        {
            second.Probe.Body = Probe.Checkpointed(steps: 20, TimeSpan.FromMilliseconds(1));
            Assert.Equal(ExitCodes.Success, await second.RunAsync().WaitAsync(Patience));

            var calls = second.Probe.Calls;
            Assert.Equal(6, calls.Count);
            Assert.All(calls.Where(c => lastSaved.ContainsKey(c.Hash)), c => Assert.Equal((2, true), (c.Attempt, c.IsResume)));
            Assert.All(calls.Where(c => !lastSaved.ContainsKey(c.Hash)), c => Assert.Equal((1, false), (c.Attempt, c.IsResume)));
        }

        var rows = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        foreach (var (hash, saved) in lastSaved)
        {
            // Resumed after the last checkpoint the interrupted attempt saved, not from step 0.
            var from = rows.Single(r => r.Hash == hash).Summary["from"];
            Assert.True(from >= saved + 1, $"run {hash} saved step {saved} before the interruption but resumed from {from}");
        }
    }

    [Fact]
    public async Task Cancelling_before_the_sweep_starts_returns_130_and_runs_nothing()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, HostedParams.Sweep(index: [0, 1]));
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Interrupted, await host.RunAsync(stop.Token).WaitAsync(Patience));
        Assert.Empty(host.Probe.Calls);
        Assert.Empty(await HostedSweep.LedgerAsync<HostedParams>(root.Path));
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_a_point_another_worker_holds_returns_130()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var sweep = HostedParams.Sweep(index: [0]);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new CancellationTokenSource();
        using var holder = HostedSweep.Create(root.Path, sweep);
        holder.Probe.Body = async (p, run, ct) =>
        {
            holding.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };
        var held = holder.RunAsync(release.Token);
        await holding.Task.WaitAsync(Patience);

        // A second worker on the same root finds the only point held, defers it, and waits for it.
        using var waiter = HostedSweep.Create(root.Path, sweep);
        using var stop = new CancellationTokenSource();
        var waiting = waiter.RunAsync(stop.Token);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Interrupted, await waiting.WaitAsync(Patience));
        Assert.Empty(waiter.Probe.Calls);

        await release.CancelAsync();
        Assert.Equal(ExitCodes.Interrupted, await held.WaitAsync(Patience));
        Assert.Equal(RunStatus.Interrupted, Assert.Single(await HostedSweep.LedgerAsync<HostedParams>(root.Path)).Status);
    }
}
