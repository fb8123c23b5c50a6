namespace ExperimentKit.Hosting.Tests;

/// <summary>Service mode: a long-running worker takes sweeps submitted to the ledger's queue.</summary>
public sealed class ServiceModeTests
{
    private static readonly Dictionary<string, string?> Service = new()
    {
        ["ExperimentKit:StopWhenDone"] = "false",
        ["ExperimentKit:QueuePollInterval"] = "00:00:00.050",
    };

    [Fact]
    public async Task A_service_worker_runs_submitted_sweeps_records_their_outcome_and_stops_on_request()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var hosted = HostedSweep.Create(root.Path, HostedParams.Sweep(index: [0]), Service);
        using var stop = new CancellationTokenSource();
        var serving = hosted.RunAsync(stop.Token);

        SweepSubmission good, bad;
        await using (var store = await ExperimentStore.OpenAsync(root.Path))
        {
            good = await store.SubmitAsync<HostedParams>(["Index=range(10,13)", "LearningRate=0.5"]);
            bad = await store.Ledger.SubmitAsync("hosted", ["Nope=1"]);
            await Assert.ThrowsAsync<SweepArgumentException>(() => store.SubmitAsync<HostedParams>(["Nope=1"]));
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<SweepSubmission> queue;
        do
        {
            await Task.Delay(100);
            await using var store = await ExperimentStore.OpenAsync(root.Path);
            queue = await store.Ledger.ListSubmissionsAsync();
        }
        while (queue.Any(s => s.Status is SubmissionStatus.Queued or SubmissionStatus.Taken) && DateTime.UtcNow < deadline);

        Assert.Equal(SubmissionStatus.Done, queue.Single(s => s.Id == good.Id).Status);
        var rejected = queue.Single(s => s.Id == bad.Id);
        Assert.Equal(SubmissionStatus.Failed, rejected.Status);
        Assert.Contains("Nope", rejected.Error, StringComparison.Ordinal);
        Assert.False(serving.IsCompleted);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Interrupted, await serving);

        var runs = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal([0, 10, 11, 12], runs.Select(r => r.Params.Index).Order());
        Assert.All(runs.Where(r => r.Params.Index >= 10), r => Assert.Equal(0.5, r.Params.LearningRate));
    }
}
