namespace ExperimentKit.Tests.Ledger;

/// <summary>
/// One ledger file used through several <see cref="SqliteRunLedger"/> instances, each with its own connection:
/// what separate processes on one machine do (SQLite locks the file the same way within one process).
/// </summary>
public sealed class SqliteLedgerSharingTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private SqliteRunLedger _a = null!;
    private SqliteRunLedger _b = null!;

    private string LedgerPath => _folder.File("ledger.db");

    public async Task InitializeAsync()
    {
        // Both open the new file at once: one creates the schema, the other waits and finds it.
        var opened = await Task.WhenAll(
            Task.Run(() => SqliteRunLedger.OpenAsync(LedgerPath)),
            Task.Run(() => SqliteRunLedger.OpenAsync(LedgerPath)));
        (_a, _b) = (opened[0], opened[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_claim_made_through_one_connection_holds_against_the_other()
    {
        var first = LedgerSeed.Claim(1);
        Assert.Equal(ClaimOutcome.Claimed, (await _a.ClaimAsync(first)).Outcome);

        var second = await _b.ClaimAsync(LedgerSeed.Claim(1));

        Assert.Equal(ClaimOutcome.HeldByOther, second.Outcome);
        Assert.Equal(first.Owner.Token, second.Row.Owner!.Token);

        await _a.CompleteAsync(first.Key, first.Owner.Token, LedgerSeed.Completion(1));
        Assert.Equal(ClaimOutcome.AlreadyCompleted, (await _b.ClaimAsync(LedgerSeed.Claim(1))).Outcome);
        Assert.Equal(RunStatus.Completed, (await _b.GetAsync(first.Key))!.Status);
    }

    [Fact]
    public async Task Parallel_claims_of_one_key_through_two_connections_have_one_winner()
    {
        for (var n = 1; n <= 20; n++)
        {
            var point = n;
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? _a : _b).ClaimAsync(LedgerSeed.Claim(point)))));

            Assert.Single(results, r => r.Outcome == ClaimOutcome.Claimed);
        }
    }

    [Fact]
    public async Task Uids_stay_unique_and_gapless_across_connections()
    {
        var tasks = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var ledger = w % 2 == 0 ? _a : _b;
            var uids = new List<long>();
            for (var i = 1; i <= 50; i++)
            {
                var request = LedgerSeed.Claim((w * 1000) + i);
                uids.Add((await ledger.ClaimAsync(request)).Row.Uid);
                await ledger.CompleteAsync(request.Key, request.Owner.Token, LedgerSeed.Completion(i));
            }

            return uids;
        }));

        var all = (await Task.WhenAll(tasks)).SelectMany(u => u).Order().ToArray();

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), all);
    }

    [Fact]
    public async Task A_takeover_through_one_connection_locks_out_the_old_owner_on_the_other()
    {
        var first = LedgerSeed.Claim(1, lease: TimeSpan.FromMilliseconds(100));
        await _a.ClaimAsync(first);
        await Task.Delay(300);

        var second = LedgerSeed.Claim(1);
        var takeover = await _b.ClaimAsync(second);

        Assert.True(takeover.IsResume);
        await Assert.ThrowsAsync<ClaimLostException>(() => _a.CompleteAsync(first.Key, first.Owner.Token, LedgerSeed.Completion(1)));
        Assert.False(await _a.RenewLeaseAsync(first.Key, first.Owner.Token, TimeSpan.FromMinutes(1)));
        Assert.Equal(RunStatus.Completed, (await _a.CompleteAsync(second.Key, second.Owner.Token, LedgerSeed.Completion(1))).Status);
    }

    [Fact]
    public async Task A_writer_holding_the_lock_makes_the_other_wait_then_fail_with_a_busy_error()
    {
        await using var impatient = await SqliteRunLedger.OpenAsync(LedgerPath, new ExperimentStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={LedgerPath};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var e = await Assert.ThrowsAsync<LedgerBusyException>(() => impatient.ClaimAsync(LedgerSeed.Claim(1)));
        Assert.Contains("BusyTimeout", e.Message, StringComparison.Ordinal);

        // Readers are not blocked by a writer in WAL mode.
        Assert.Null(await impatient.GetAsync(LedgerSeed.Claim(1).Key));

        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        Assert.Equal(ClaimOutcome.Claimed, (await impatient.ClaimAsync(LedgerSeed.Claim(1))).Outcome);
    }
}
