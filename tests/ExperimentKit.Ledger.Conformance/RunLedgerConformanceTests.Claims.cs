namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    [SkippableFact]
    public async Task A_new_claim_is_running_attempt_one_with_the_next_uid_of_its_experiment()
    {
        var first = await ClaimedAsync(Claim(1, "mnist/cnn/train"));
        var second = await ClaimedAsync(Claim(2, "mnist/cnn/train"));
        var other = await ClaimedAsync(Claim(3, "eval"));
        var third = await ClaimedAsync(Claim(4, "mnist/cnn/train", version: 2));

        Assert.Equal([1L, 2L, 1L, 3L], new[] { first.Row.Uid, second.Row.Uid, other.Row.Uid, third.Row.Uid });
        foreach (var claim in new[] { first, second, other, third })
        {
            Assert.Null(claim.PreviousStatus);
            Assert.False(claim.IsResume);
            Assert.Equal(RunStatus.Running, claim.Row.Status);
            Assert.Equal(1, claim.Row.Attempt);
        }

        var request = Claim(5);
        var claimed = await ClaimedAsync(request);
        var row = claimed.Row;
        Assert.Equal(request.Key, row.Key);
        Assert.Equal(request.Owner.Token, row.Owner!.Token);
        Assert.Equal(request.Owner.ProcessId, row.Owner.ProcessId);
        Assert.Equal(request.Owner.Host, row.Owner.Host);
        Assert.Equal(request.ParamsJson, row.ParamsJson);
        Assert.Equal(request.CanonicalJson, row.CanonicalJson);
        Assert.Equal(Sorted(request.ComponentHashes), Sorted(row.ComponentHashes));
        Assert.Equal($"{row.RelativeDirectory}/{request.ResultFileName}", row.ResultFile);
        Assert.Equal(request.RunnerFingerprint, row.RunnerFingerprint);
        AssertNow(row.Created);
        AssertNow(row.Started);
        AssertNow(row.LastUsed);
        Assert.Null(row.Finished);
        Assert.Null(row.Error);
        Assert.InRange(row.LeaseExpires!.Value - row.Started!.Value, LongLease - TimeSpan.FromSeconds(1), LongLease + TimeSpan.FromSeconds(1));
        Assert.Equal($"train/0001-{HashOf(5)}", row.RelativeDirectory);

        AssertSameRow(row, await Ledger.GetAsync(request.Key));
    }

    [SkippableFact]
    public async Task A_completed_run_is_not_claimed_again_and_is_left_as_it_was()
    {
        var completed = await CompletedAsync(1);

        var again = await Ledger.ClaimAsync(Claim(1));

        Assert.Equal(ClaimOutcome.AlreadyCompleted, again.Outcome);
        Assert.False(again.IsResume);
        AssertSameRow(completed, again.Row);
        AssertSameRow(completed, await Ledger.GetAsync(KeyOf(1)));
    }

    [SkippableFact]
    public async Task A_forced_claim_reruns_a_completed_run_as_a_new_attempt_with_the_same_uid()
    {
        await CompletedAsync(0);
        var completed = await CompletedAsync(1, summary: new Dictionary<string, double> { ["loss"] = 0.5 });

        var force = Claim(1, force: true);
        var rerun = await ClaimedAsync(force);

        Assert.Equal(RunStatus.Completed, rerun.PreviousStatus);
        Assert.False(rerun.IsResume);
        Assert.Equal(2, rerun.Row.Attempt);
        Assert.Equal(completed.Uid, rerun.Row.Uid);
        Assert.Equal(RunStatus.Running, rerun.Row.Status);
        Assert.Equal(force.Owner.Token, rerun.Row.Owner!.Token);
        Assert.Equal(completed.Created, rerun.Row.Created);

        var done = await Ledger.CompleteAsync(force.Key, force.Owner.Token, Done(new Dictionary<string, double> { ["loss"] = 0.25 }));
        Assert.Equal(2, done.Attempt);
        Assert.Equal(0.25, done.Summary["loss"]);
    }

    [SkippableFact]
    public async Task A_run_under_a_live_lease_is_held_by_its_owner_even_against_force()
    {
        var first = Claim(1);
        await ClaimedAsync(first);

        var second = await Ledger.ClaimAsync(Claim(1));
        var forced = await Ledger.ClaimAsync(Claim(1, force: true));

        foreach (var result in new[] { second, forced })
        {
            Assert.Equal(ClaimOutcome.HeldByOther, result.Outcome);
            Assert.False(result.IsResume);
            Assert.Equal(first.Owner.Token, result.Row.Owner!.Token);
            Assert.Equal(1, result.Row.Attempt);
        }

        var row = await Ledger.GetAsync(first.Key);
        Assert.Equal(first.Owner.Token, row!.Owner!.Token);
        Assert.Equal(RunStatus.Running, row.Status);
    }

    [SkippableFact]
    public async Task An_owner_on_another_host_is_judged_by_its_lease_alone()
    {
        var remote = new RunOwner("another-host-" + Guid.NewGuid().ToString("N"), int.MaxValue, DateTimeOffset.UtcNow, "remote-token");
        await ClaimedAsync(Claim(1, owner: remote));

        var result = await Ledger.ClaimAsync(Claim(1));

        Assert.Equal(ClaimOutcome.HeldByOther, result.Outcome);
        Assert.Equal("remote-token", result.Row.Owner!.Token);
    }

    [SkippableFact]
    public async Task A_run_whose_lease_expired_is_taken_over_and_resumed()
    {
        var first = Claim(1, lease: ShortLease);
        var original = await ClaimedAsync(first);
        await WaitForShortLeaseToExpire();

        var second = Claim(1);
        var takeover = await ClaimedAsync(second);

        Assert.Equal(RunStatus.Running, takeover.PreviousStatus);
        Assert.True(takeover.IsResume);
        Assert.Equal(2, takeover.Row.Attempt);
        Assert.Equal(original.Row.Uid, takeover.Row.Uid);
        Assert.Equal(second.Owner.Token, takeover.Row.Owner!.Token);
        Assert.True(takeover.Row.LeaseExpires > DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30));
    }

    [SkippableFact]
    public async Task A_run_whose_owner_process_no_longer_exists_on_this_host_is_taken_over_at_once()
    {
        // No process has this id (Linux caps pids far lower, Windows pids are multiples of 4).
        var dead = new RunOwner(Environment.MachineName, int.MaxValue - 2, DateTimeOffset.UtcNow, "dead-token");
        Assert.True(dead.IsGoneFromThisHost());
        await ClaimedAsync(Claim(1, owner: dead, lease: LongLease));

        var takeover = await ClaimedAsync(Claim(1));

        Assert.True(takeover.IsResume);
        Assert.Equal(RunStatus.Running, takeover.PreviousStatus);
        Assert.Equal(2, takeover.Row.Attempt);
    }

    [SkippableFact]
    public async Task A_run_whose_owner_pid_was_reused_by_another_process_is_taken_over()
    {
        var self = RunOwner.NewForCurrentProcess();
        var earlierProcess = self with { ProcessStart = self.ProcessStart - TimeSpan.FromHours(3), Token = "earlier" };
        Assert.True(earlierProcess.IsGoneFromThisHost());
        await ClaimedAsync(Claim(1, owner: earlierProcess));

        var takeover = await ClaimedAsync(Claim(1));

        Assert.True(takeover.IsResume);
        Assert.Equal(2, takeover.Row.Attempt);
    }

    [SkippableFact]
    public async Task A_failed_run_keeps_its_error_until_it_is_retried()
    {
        var first = Claim(1);
        await ClaimedAsync(first);
        var failed = await Ledger.FailAsync(first.Key, first.Owner.Token, Done(error: "System.InvalidOperationException: diverged"));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("System.InvalidOperationException: diverged", failed.Error);
        Assert.Null(failed.LeaseExpires);
        AssertNow(failed.Finished);
        AssertSameRow(failed, await Ledger.GetAsync(first.Key));
        Assert.Equal(RunStatus.Failed, (await Ledger.GetStatusesAsync("train", 1, [HashOf(1)]))[HashOf(1)].Status);

        var retry = await ClaimedAsync(Claim(1));

        Assert.Equal(RunStatus.Failed, retry.PreviousStatus);
        Assert.False(retry.IsResume);
        Assert.Equal(2, retry.Row.Attempt);
        Assert.Equal(failed.Uid, retry.Row.Uid);
        Assert.Null(retry.Row.Error);
        Assert.Null((await Ledger.GetAsync(first.Key))!.Error);
    }

    [SkippableFact]
    public async Task An_interrupted_run_is_resumed_by_the_next_claim()
    {
        var first = Claim(1);
        await ClaimedAsync(first);
        var interrupted = await Ledger.InterruptAsync(first.Key, first.Owner.Token, Done(elapsedMs: 500));

        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(500), interrupted.Elapsed);
        Assert.Null(interrupted.LeaseExpires);

        var resumed = await ClaimedAsync(Claim(1));

        Assert.Equal(RunStatus.Interrupted, resumed.PreviousStatus);
        Assert.True(resumed.IsResume);
        Assert.Equal(2, resumed.Row.Attempt);
    }

    [SkippableFact]
    public async Task The_same_key_with_other_canonical_json_is_a_collision_and_writes_nothing()
    {
        var first = Claim(1);
        await ClaimedAsync(first);
        var before = await Ledger.GetAsync(first.Key);
        var other = Claim(1, p: TestParams.For(1) with { Layers = 99 });

        var e = await Assert.ThrowsAsync<HashCollisionException>(() => Ledger.ClaimAsync(other));
        var forced = await Assert.ThrowsAsync<HashCollisionException>(() => Ledger.ClaimAsync(other with { Force = true }));

        Assert.Equal(first.Key, e.Key);
        Assert.Equal(first.CanonicalJson, e.RecordedCanonicalJson);
        Assert.Equal(other.CanonicalJson, e.NewCanonicalJson);
        Assert.Equal(first.Key, forced.Key);
        AssertSameRow(before!, await Ledger.GetAsync(first.Key));

        // Nothing was allocated either: the next new run gets uid 2.
        Assert.Equal(2, (await ClaimedAsync(Claim(2))).Row.Uid);
    }

    [SkippableFact]
    public async Task A_takeover_keeps_the_row_s_history_and_merges_metadata()
    {
        var first = Claim(1, lease: ShortLease, metadata: new Dictionary<string, string> { ["git"] = "abc", ["host"] = "a" });
        var original = await ClaimedAsync(first);
        await WaitForShortLeaseToExpire();

        var takeover = await ClaimedAsync(Claim(1, metadata: new Dictionary<string, string> { ["host"] = "b" }));

        Assert.Equal(original.Row.Created, takeover.Row.Created);
        Assert.Equal("abc", takeover.Row.Metadata["git"]);
        Assert.Equal("b", takeover.Row.Metadata["host"]);
        AssertSameRow(takeover.Row, await Ledger.GetAsync(first.Key));
    }
}
