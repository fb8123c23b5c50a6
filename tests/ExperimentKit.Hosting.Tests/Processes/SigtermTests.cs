using ExperimentKit.Hosting.TestApp;

namespace ExperimentKit.Hosting.Tests.Processes;

/// <summary>A real hosted process stopped by SIGTERM mid-run, then started again.</summary>
[Collection(nameof(ProcessTests))]
public sealed class SigtermTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [UnixFact]
    public async Task SIGTERM_mid_run_exits_130_with_the_run_interrupted_and_the_next_start_resumes_it_from_its_checkpoint()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var store = root.Combine("store");
        var journal = root.Combine("journal");
        Directory.CreateDirectory(journal);
        string[] Args(int delayMs) => ["Index=0", "Steps=40", $"--ExperimentKit:Root={store}", $"--Soak:Journal={journal}", $"--Soak:DelayMs={delayMs}"];

        using (var first = AppProcess.Start(root.Path, Args(delayMs: 100)))
        {
            Assert.NotNull(await first.WaitForLineAsync(static l => l.EndsWith(" saved 2", StringComparison.Ordinal), Patience));
            first.Terminate();
            Assert.True(await first.WaitForExitAsync(Patience) == ExitCodes.Interrupted, first.Describe());
            Assert.Contains(first.Output, static l => l.Contains("running runs are cancelled and recorded Interrupted", StringComparison.Ordinal));
        }

        var point = new SoakParams(0, 40);
        await using (var inspect = await ExperimentStore.OpenAsync(store))
        {
            var row = await inspect.Ledger.GetAsync(RunKey.For(point));
            Assert.NotNull(row);
            Assert.Equal((RunStatus.Interrupted, 1), (row.Status, row.Attempt));
        }

        var before = Journal.Read(Path.Combine(journal, point.ComputeHash() + ".log"));
        var savedBefore = before.Starts.Count == 1 ? before.Lines.Count(l => l.StartsWith("saved", StringComparison.Ordinal)) - 1 : -1;
        Assert.True(savedBefore >= 2, string.Join(" | ", before.Lines));
        Assert.Equal(0, before.Done);

        using (var second = AppProcess.Start(root.Path, Args(delayMs: 1)))
        {
            Assert.True(await second.WaitForExitAsync(Patience) == ExitCodes.Success, second.Describe());
        }

        var after = Journal.Read(Path.Combine(journal, point.ComputeHash() + ".log"));
        Assert.Equal(2, after.Starts.Count);
        var resume = after.Starts[1];
        Assert.Equal((2, true), (resume.Attempt, resume.IsResume));
        Assert.True(resume.From >= savedBefore + 1, $"resumed from {resume.From} after saving step {savedBefore}");
        Assert.Equal(1, after.Done);

        await using var reopened = await ExperimentStore.OpenAsync(store);
        var record = await reopened.RetrieveAsync(point);
        Assert.NotNull(record);
        Assert.Equal(2, record.Attempt);
        Assert.False(record.IsMissingResult);
    }
}
