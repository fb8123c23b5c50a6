using Microsoft.Data.Sqlite;

namespace ExperimentKit.Tests.Store;

/// <summary>The heartbeat: a run longer than its lease keeps it; a run whose claim was taken over stops and records nothing.</summary>
public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    private readonly TempRoot _root = new("expkit-tests");
    private ExperimentStore _store = null!;

    public async Task InitializeAsync() => _store = await ExperimentStore.OpenAsync(_root.Path, new ExperimentStoreOptions { LeaseDuration = Lease });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _root.Dispose();
    }

    private static SimParams Point(int steps = 100) => new(0.01, steps, new Net(2, 64));

    [Fact]
    public async Task A_run_longer_than_its_lease_keeps_renewing_it()
    {
        var leases = new List<DateTimeOffset>();
        var record = await _store.RunOrRetrieveAsync(Point(), async (p, run, ct) =>
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Delay(Lease / 2, ct);
                var row = await _store.Ledger.GetAsync(RunKey.For(p), ct);
                Assert.Equal(RunStatus.Running, row!.Status);
                leases.Add(row.LeaseExpires!.Value);
            }

            await File.WriteAllTextAsync(run.ResultPath, "{}", ct);
        });

        Assert.Equal(RunStatus.Completed, record.Status);
        Assert.Equal(1, record.Attempt);

        // 2.5 leases in, the lease still lies ahead: it was renewed, more than once.
        Assert.True(leases[^1] > record.Row.Started!.Value + (2 * Lease), $"last lease {leases[^1]:O}, started {record.Row.Started:O}");
        Assert.True(leases.Distinct().Count() >= 3, string.Join(", ", leases.Select(l => l.ToString("O"))));
    }

    [Fact]
    public async Task A_run_whose_claim_was_taken_over_is_cancelled_and_records_nothing()
    {
        var key = RunKey.For(Point());
        var cancelled = false;
        var run = _store.RunOrRetrieveAsync(Point(), async (_, _, ct) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });

        // Another owner takes the run over (as after a stall past the lease): the next renewal fails.
        await WaitUntilAsync(async () => (await _store.Ledger.GetAsync(key))?.Status == RunStatus.Running);
        using (var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_root.Path, ExperimentStore.LedgerFileName), Pooling = false }.ToString()))
        {
            raw.Open();
            using var steal = raw.CreateCommand();
            steal.CommandText = "UPDATE runs SET owner_token = 'another-owner'";
            Assert.Equal(1, steal.ExecuteNonQuery());
        }

        var lost = await Assert.ThrowsAsync<ClaimLostException>(() => run).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(key, lost.Key);
        Assert.True(cancelled);

        var row = await _store.Ledger.GetAsync(key);
        Assert.Equal(RunStatus.Running, row!.Status);
        Assert.Equal("another-owner", row.Owner!.Token);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
