namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    private static RunRegistration Registration(int n, TestParams? p = null, string resultFile = "elsewhere/result.npy")
    {
        p ??= TestParams.For(n);
        return new RunRegistration
        {
            Key = KeyOf(n),
            ParamsJson = p.ExactJson,
            CanonicalJson = p.CanonicalJson,
            ComponentHashes = p.ComponentHashes,
            ResultFile = resultFile,
            Metadata = new Dictionary<string, string> { ["source"] = "import" },
        };
    }

    [SkippableFact]
    public async Task Registering_a_new_result_records_a_completed_run_that_is_then_skipped()
    {
        await CompletedAsync(7);
        var registration = Registration(1, resultFile: "/data/old/result.npy");

        var row = await Ledger.RegisterAsync(registration);

        Assert.Equal(RunStatus.Completed, row.Status);
        Assert.Equal(2, row.Uid);
        Assert.Equal("/data/old/result.npy", row.ResultFile);
        Assert.Equal(registration.ParamsJson, row.ParamsJson);
        Assert.Equal("import", row.Metadata["source"]);
        Assert.Null(row.LeaseExpires);
        AssertNow(row.Finished);
        AssertSameRow(row, await Ledger.GetAsync(registration.Key));
        Assert.Equal(ClaimOutcome.AlreadyCompleted, (await Ledger.ClaimAsync(Claim(1))).Outcome);
        Assert.Single(await Ledger.ListAsync(new RunQuery { ComponentHash = TestParams.For(1).ComponentHashes["model"], Component = "model", Experiment = "train" }), r => r.Key == registration.Key);
    }

    [SkippableFact]
    public async Task Registering_over_a_failed_run_completes_it_and_keeps_its_uid()
    {
        var request = Claim(1);
        var claimed = await ClaimedAsync(request);
        await Ledger.FailAsync(request.Key, request.Owner.Token, Done(error: "boom"));

        var row = await Ledger.RegisterAsync(Registration(1));

        Assert.Equal(RunStatus.Completed, row.Status);
        Assert.Equal(claimed.Row.Uid, row.Uid);
        Assert.Null(row.Error);
        Assert.Equal("elsewhere/result.npy", row.ResultFile);
        AssertSameRow(row, await Ledger.GetAsync(request.Key));
    }

    [SkippableFact]
    public async Task Registering_over_a_completed_or_live_running_run_is_refused_and_changes_nothing()
    {
        var completed = await CompletedAsync(1);
        var running = Claim(2);
        var claimed = await ClaimedAsync(running);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Ledger.RegisterAsync(Registration(1)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Ledger.RegisterAsync(Registration(2)));

        AssertSameRow(completed, await Ledger.GetAsync(KeyOf(1)));
        AssertSameRow(claimed.Row, await Ledger.GetAsync(KeyOf(2)));
        await Ledger.CompleteAsync(running.Key, running.Owner.Token, Done());
    }

    [SkippableFact]
    public async Task Registering_other_parameters_under_a_recorded_key_is_a_collision()
    {
        var request = Claim(1);
        await ClaimedAsync(request);
        await Ledger.FailAsync(request.Key, request.Owner.Token, Done(error: "boom"));

        await Assert.ThrowsAsync<HashCollisionException>(() => Ledger.RegisterAsync(Registration(1, TestParams.For(1) with { Dataset = "other" })));

        Assert.Equal(RunStatus.Failed, (await Ledger.GetAsync(request.Key))!.Status);
    }
}
