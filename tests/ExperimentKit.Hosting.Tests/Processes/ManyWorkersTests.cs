using System.Globalization;
using System.Text.RegularExpressions;
using ExperimentKit.Hosting.TestApp;

namespace ExperimentKit.Hosting.Tests.Processes;

/// <summary>Several hosted worker processes sharing one root and one sweep.</summary>
[Collection(nameof(ProcessTests))]
public sealed partial class ManyWorkersTests
{
    private const int Points = 60;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [UnixFact]
    public async Task Three_worker_processes_on_one_root_run_each_point_exactly_once()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var store = root.Combine("store");
        var journal = root.Combine("journal");
        Directory.CreateDirectory(journal);
        string[] args =
        [
            $"Index=range(0,{Points})",
            $"--ExperimentKit:Root={store}", "--ExperimentKit:MaxParallelism=2",
            "--Soak:DelayMs=20", $"--Soak:Journal={journal}",
        ];

        var workers = Enumerable.Range(0, 3).Select(_ => AppProcess.Start(root.Path, args)).ToList();
        try
        {
            var ran = 0;
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync(Patience) == ExitCodes.Success, worker.Describe());

                // Each worker accounts for every point: run by it, or skipped because another completed it.
                var finished = worker.Output.Select(l => Finished().Match(l)).Single(m => m.Success);
                var (completed, skipped, failed) = (Int(finished, "run"), Int(finished, "skipped"), Int(finished, "failed"));
                Assert.Equal(0, failed);
                Assert.Equal(Points, completed + skipped);
                ran += completed;
            }

            Assert.Equal(Points, ran);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        // One start per point over all processes: nothing ran twice.
        var journals = Journal.ReadAll(journal);
        Assert.Equal(Points, journals.Count);
        Assert.All(journals.Values, j => Assert.Single(j.Starts));
        Assert.All(journals.Values, j => Assert.Equal(1, j.Done));

        await using var opened = await ExperimentStore.OpenAsync(store);
        var rows = await opened.ListAsync<SoakParams>();
        Assert.Equal(Points, rows.Count);
        Assert.All(rows, r => Assert.Equal((RunStatus.Completed, 1), (r.Status, r.Attempt)));
        Assert.Equal(Enumerable.Range(0, Points), rows.Select(r => r.Params.Index).Order());
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Sweep of soak done: (?<run>\d+) run, (?<skipped>\d+) skipped \(already completed\), (?<failed>\d+) failed")]
    private static partial Regex Finished();
}
