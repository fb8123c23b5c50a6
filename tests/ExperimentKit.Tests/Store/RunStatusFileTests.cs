using System.Text.Json;

namespace ExperimentKit.Tests.Store;

/// <summary>When the store writes run.json: a Running snapshot once a new run has run a moment (at once for a resumed attempt), then the final one.</summary>
public sealed class RunStatusFileTests : IAsyncLifetime
{
    private readonly TempRoot _root = new("expkit-tests");
    private ExperimentStore _store = null!;

    public async Task InitializeAsync() => _store = await ExperimentStore.OpenAsync(_root.Path);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _root.Dispose();
    }

    private static SimParams Point(int steps = 100) => new(0.01, steps, new Net(2, 64));

    private static (string Status, int Attempt)? ReadStatus(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "run.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return (document.RootElement.GetProperty("status").GetString()!, document.RootElement.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task A_run_that_ends_within_the_delay_gets_only_its_final_run_json()
    {
        (string, int)? during = ("not read", 0);
        var record = await _store.RunOrRetrieveAsync(Point(), async (_, run, ct) =>
        {
            during = ReadStatus(run.RunDirectory);
            await File.WriteAllTextAsync(run.ResultPath, "{}", ct);
        });

        Assert.Null(during);
        Assert.Equal(("Completed", 1), ReadStatus(record.RunDirectory));
        Assert.True(File.Exists(Path.Combine(record.RunDirectory, "params.json")));

        // Nothing is written after the run ended.
        await Task.Delay(RunStatusWriter.RunningSnapshotDelay + TimeSpan.FromMilliseconds(500));
        Assert.Equal(("Completed", 1), ReadStatus(record.RunDirectory));
    }

    [Fact]
    public async Task A_longer_run_shows_running_in_run_json_while_it_runs()
    {
        (string, int)? seen = null;
        var record = await _store.RunOrRetrieveAsync(Point(), async (_, run, ct) =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while ((seen = ReadStatus(run.RunDirectory)) is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }
        });

        Assert.Equal(("Running", 1), seen);
        Assert.Equal(("Completed", 1), ReadStatus(record.RunDirectory));
    }

    [Fact]
    public async Task A_resumed_attempt_rewrites_run_json_at_once()
    {
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.RunOrRetrieveAsync(Point(), async (_, _, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cancellationToken: cts.Token));
        var directory = RunPaths.Directory(_root.Path, (await _store.Ledger.GetAsync(RunKey.For(Point())))!);
        Assert.Equal(("Interrupted", 1), ReadStatus(directory));

        (string, int)? during = null;
        var record = await _store.RunOrRetrieveAsync(Point(), (_, run, _) =>
        {
            during = ReadStatus(run.RunDirectory);
            return Task.CompletedTask;
        });

        Assert.Equal(("Running", 2), during);
        Assert.Equal(("Completed", 2), ReadStatus(record.RunDirectory));
    }
}
