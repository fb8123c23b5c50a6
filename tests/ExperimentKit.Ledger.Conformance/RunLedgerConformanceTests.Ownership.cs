namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    [SkippableFact]
    public async Task Completing_records_summary_files_elapsed_and_metadata_and_ends_the_lease()
    {
        var request = Claim(1, metadata: new Dictionary<string, string> { ["git"] = "abc", ["dirty"] = "false" });
        var claimed = await ClaimedAsync(request);
        var completion = new RunCompletion
        {
            Elapsed = TimeSpan.FromSeconds(12.5),
            Summary = new Dictionary<string, double> { ["loss"] = 0.1 + 0.2, ["accuracy"] = 0.987654321012345, ["tiny"] = 1e-300 },
            Files = new Dictionary<string, string> { ["model"] = "train/0001/files/model.bin", ["plot"] = "train/0001/files/loss.png" },
            Metadata = new Dictionary<string, string> { ["dirty"] = "true", ["gpu"] = "none" },
        };

        var done = await Ledger.CompleteAsync(request.Key, request.Owner.Token, completion);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(1, done.Attempt);
        Assert.Null(done.LeaseExpires);
        Assert.Null(done.Error);
        Assert.Equal(request.Owner.Token, done.Owner!.Token);
        Assert.Equal(TimeSpan.FromSeconds(12.5), done.Elapsed);
        AssertNow(done.Finished);
        Assert.Equal(claimed.Row.Created, done.Created);
        Assert.Equal(0.1 + 0.2, done.Summary["loss"]);
        Assert.Equal(0.987654321012345, done.Summary["accuracy"]);
        Assert.Equal(1e-300, done.Summary["tiny"]);
        Assert.Equal(Sorted(completion.Files), Sorted(done.Files));
        Assert.Equal("abc", done.Metadata["git"]);
        Assert.Equal("true", done.Metadata["dirty"]);
        Assert.Equal("none", done.Metadata["gpu"]);
        AssertSameRow(done, await Ledger.GetAsync(request.Key));
        Assert.Equal(RunStatus.Completed, (await Ledger.GetStatusesAsync("train", 1, [HashOf(1)]))[HashOf(1)].Status);
    }

    [SkippableFact]
    public async Task Summary_values_that_are_not_finite_survive()
    {
        var request = Claim(1);
        await ClaimedAsync(request);
        var summary = new Dictionary<string, double>
        {
            ["nan"] = double.NaN,
            ["inf"] = double.PositiveInfinity,
            ["-inf"] = double.NegativeInfinity,
            ["max"] = double.MaxValue,
            ["eps"] = double.Epsilon,
            ["negzero"] = -0.0,
        };

        await Ledger.CompleteAsync(request.Key, request.Owner.Token, Done(summary));
        var row = await Ledger.GetAsync(request.Key);

        Assert.True(double.IsNaN(row!.Summary["nan"]));
        Assert.Equal(double.PositiveInfinity, row.Summary["inf"]);
        Assert.Equal(double.NegativeInfinity, row.Summary["-inf"]);
        Assert.Equal(double.MaxValue, row.Summary["max"]);
        Assert.Equal(double.Epsilon, row.Summary["eps"]);
    }

    [SkippableFact]
    public async Task A_taken_over_claim_can_no_longer_write_or_renew()
    {
        var first = Claim(1, lease: ShortLease);
        await ClaimedAsync(first);
        await WaitForShortLeaseToExpire();
        var second = Claim(1);
        await ClaimedAsync(second);

        Assert.False(await Ledger.RenewLeaseAsync(first.Key, first.Owner.Token, LongLease));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.CompleteAsync(first.Key, first.Owner.Token, Done()));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.FailAsync(first.Key, first.Owner.Token, Done(error: "late")));
        var lost = await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.InterruptAsync(first.Key, first.Owner.Token, Done()));
        Assert.Equal(first.Key, lost.Key);

        var row = await Ledger.GetAsync(first.Key);
        Assert.Equal(RunStatus.Running, row!.Status);
        Assert.Equal(second.Owner.Token, row.Owner!.Token);
        Assert.Null(row.Error);

        Assert.True(await Ledger.RenewLeaseAsync(second.Key, second.Owner.Token, LongLease));
        Assert.Equal(RunStatus.Completed, (await Ledger.CompleteAsync(second.Key, second.Owner.Token, Done())).Status);
    }

    [SkippableFact]
    public async Task Writes_need_the_current_owner_token_and_a_running_run()
    {
        var request = Claim(1);
        await ClaimedAsync(request);

        Assert.False(await Ledger.RenewLeaseAsync(request.Key, "not-the-token", LongLease));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.CompleteAsync(request.Key, "not-the-token", Done()));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.CompleteAsync(KeyOf(2), request.Owner.Token, Done()));
        Assert.Equal(RunStatus.Running, (await Ledger.GetAsync(request.Key))!.Status);

        await Ledger.CompleteAsync(request.Key, request.Owner.Token, Done());

        // The claim ended with the completion: the same token cannot write again.
        Assert.False(await Ledger.RenewLeaseAsync(request.Key, request.Owner.Token, LongLease));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.FailAsync(request.Key, request.Owner.Token, Done(error: "after the fact")));
        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.CompleteAsync(request.Key, request.Owner.Token, Done()));
        Assert.Equal(RunStatus.Completed, (await Ledger.GetAsync(request.Key))!.Status);
    }

    [SkippableFact]
    public async Task Renewing_a_lease_keeps_the_run_from_being_taken_over()
    {
        var request = Claim(1, lease: ShortLease);
        await ClaimedAsync(request);

        Assert.True(await Ledger.RenewLeaseAsync(request.Key, request.Owner.Token, LongLease));
        await WaitForShortLeaseToExpire();
        var other = await Ledger.ClaimAsync(Claim(1));

        Assert.Equal(ClaimOutcome.HeldByOther, other.Outcome);
        Assert.True(other.Row.LeaseExpires > DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30));
    }

    [SkippableFact]
    public async Task A_run_deleted_under_its_owner_cannot_be_completed()
    {
        var request = Claim(1);
        await ClaimedAsync(request);

        Assert.True(await Ledger.DeleteAsync(request.Key));

        await Assert.ThrowsAsync<ClaimLostException>(() => Ledger.CompleteAsync(request.Key, request.Owner.Token, Done()));
        Assert.False(await Ledger.RenewLeaseAsync(request.Key, request.Owner.Token, LongLease));
        Assert.Null(await Ledger.GetAsync(request.Key));
    }

    [SkippableFact]
    public async Task A_completion_after_the_lease_ran_out_counts_while_nobody_took_over()
    {
        var request = Claim(1, lease: ShortLease);
        await ClaimedAsync(request);
        await WaitForShortLeaseToExpire();

        var done = await Ledger.CompleteAsync(request.Key, request.Owner.Token, Done());

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(1, done.Attempt);
    }
}
