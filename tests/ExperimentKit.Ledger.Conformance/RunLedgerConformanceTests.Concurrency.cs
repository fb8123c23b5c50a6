namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    [SkippableFact]
    public async Task Of_many_parallel_claims_of_one_key_exactly_one_wins()
    {
        const int claimants = 24;
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, claimants).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await Ledger.ClaimAsync(Claim(1));
        })).ToArray();

        start.Set();
        var results = await Task.WhenAll(tasks);

        var winner = Assert.Single(results, r => r.Outcome == ClaimOutcome.Claimed);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal(ClaimOutcome.HeldByOther, r.Outcome));
        Assert.All(results, r => Assert.Equal(winner.Row.Owner!.Token, r.Row.Owner!.Token));
        var row = await Ledger.GetAsync(KeyOf(1));
        Assert.Equal(1, row!.Attempt);
        Assert.Equal(winner.Row.Owner!.Token, row.Owner!.Token);
    }

    [SkippableFact]
    public async Task Parallel_claims_of_different_keys_get_every_uid_exactly_once()
    {
        const int workers = 8;
        const int perWorker = 40;
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            start.Wait();
            var uids = new List<long>();
            for (var i = 0; i < perWorker; i++)
            {
                var request = Claim((w * perWorker) + i + 1);
                var result = await Ledger.ClaimAsync(request);
                Assert.Equal(ClaimOutcome.Claimed, result.Outcome);
                uids.Add(result.Row.Uid);
                if (i % 2 == 0)
                {
                    await Ledger.CompleteAsync(request.Key, request.Owner.Token, Done());
                }
            }

            return uids;
        })).ToArray();

        start.Set();
        var all = (await Task.WhenAll(tasks)).SelectMany(u => u).Order().ToArray();

        Assert.Equal(Enumerable.Range(1, workers * perWorker).Select(i => (long)i), all);
        Assert.Equal(all, Uids(await Ledger.ListAsync(new RunQuery { Experiment = "train", OrderBy = RunOrder.Uid })));
    }

    [SkippableFact]
    public async Task Parallel_takeovers_of_an_expired_run_have_one_winner()
    {
        await ClaimedAsync(Claim(1, lease: ShortLease));
        await WaitForShortLeaseToExpire();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => Ledger.ClaimAsync(Claim(1)))));

        var winner = Assert.Single(results, r => r.Outcome == ClaimOutcome.Claimed);
        Assert.True(winner.IsResume);
        Assert.Equal(2, winner.Row.Attempt);
        Assert.Equal(2, (await Ledger.GetAsync(KeyOf(1)))!.Attempt);
    }
}
