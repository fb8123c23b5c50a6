using System.Diagnostics;
using System.Globalization;
using ExperimentKit.Hosting.TestApp;
using Xunit.Abstractions;

namespace ExperimentKit.Hosting.Tests.Processes;

/// <summary>
/// A real hosted sweep killed with SIGKILL again and again, restarted each time, then run to the end. Set
/// <c>EXPERIMENTKIT_SOAK_KILLS</c> (say 200) for a longer soak and <c>EXPERIMENTKIT_SOAK_SEED</c> to replay one.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class KillSoakTests(ITestOutputHelper output)
{
    private const int Points = 300;
    private const int Steps = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [UnixFact]
    public async Task A_300_point_sweep_killed_at_random_moments_completes_every_point_once_and_resumes_from_checkpoints()
    {
        var kills = Setting("EXPERIMENTKIT_SOAK_KILLS", 20);
        var seed = Setting("EXPERIMENTKIT_SOAK_SEED", 1234);
        var random = new Random(seed);
        output.WriteLine($"{kills} kills, seed {seed}");

        using var root = new TempRoot("expkit-hosting-tests");
        var store = root.Combine("store");
        var journal = root.Combine("journal");
        Directory.CreateDirectory(journal);
        string[] args =
        [
            $"Index=range(0,{Points})", $"Steps={Steps}",
            $"--ExperimentKit:Root={store}", "--ExperimentKit:MaxParallelism=1",
            "--Soak:DelayMs=2", $"--Soak:Journal={journal}",
        ];

        // MaxParallelism=1: one run at a time, so one kill interrupts at most one run. The kills are spread so
        // the sweep cannot finish before the last one: each life may run about its share of the steps left,
        // at most twice that, less a reserve of a few steps for each kill to come (a life runs at least one).
        var clock = Stopwatch.StartNew();
        var quickestStartup = TimeSpan.MaxValue;
        for (var kill = 0; kill < kills; kill++)
        {
            var share = Math.Max(1, (StepsLeft(journal) - 50 - (4 * (kills - kill))) / (kills - kill + 1));
            using var app = AppProcess.Start(root.Path, args);
            var spawned = Stopwatch.StartNew();
            var seen = 0;
            bool Saved(string line, int target)
            {
                if (!line.Contains(" saved ", StringComparison.Ordinal))
                {
                    return false;
                }

                if (++seen == 1 && spawned.Elapsed < quickestStartup)
                {
                    quickestStartup = spawned.Elapsed;
                }

                return seen >= target;
            }

            string moment;
            if (kill > 0 && random.Next(5) == 0)
            {
                // Any moment from the spawn to about the quickest start-up seen: host start-up, ledger open, bulk
                // skip, claim, or the first steps (but no more than its share of them).
                var delay = TimeSpan.FromMilliseconds(random.Next((int)quickestStartup.TotalMilliseconds + 1));
                var (early, _) = await app.TryWaitForLineAsync(l => Saved(l, share), delay);
                moment = early ? $"{share} saved steps, before {delay.TotalMilliseconds:F0} ms" : $"{delay.TotalMilliseconds:F0} ms after spawn";
            }
            else
            {
                // After a random number of saved steps, then up to about one more step (a kill lands anywhere in it).
                var target = random.Next(1, (2 * share) + 1);
                var extra = random.Next(0, 8);
                var line = await app.WaitForLineAsync(l => Saved(l, target), Patience);
                Assert.True(line is not null, $"Kill {kill + 1}: the app ended before {target} more saved steps. {app.Describe()}");
                await Task.Delay(extra);
                moment = $"{target} saved steps + {extra} ms";
            }

            Assert.False(app.HasExited, $"Kill {kill + 1} ({moment}): the app exited first. {app.Describe()}");
            app.Kill();
            output.WriteLine($"kill {kill + 1} at {moment}");
        }

        output.WriteLine($"{kills} kills in {clock.Elapsed}; {StepsLeft(journal)} of {Points * Steps} steps left");
        using (var last = AppProcess.Start(root.Path, args))
        {
            Assert.True(await last.WaitForExitAsync(Patience) == ExitCodes.Success, last.Describe());
        }

        output.WriteLine($"done in {clock.Elapsed}");

        // The ledger: every point once, completed, with its result.
        await using var opened = await ExperimentStore.OpenAsync(store);
        var rows = await opened.ListAsync<SoakParams>();
        Assert.Equal(Points, rows.Count);
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.All(rows, r => Assert.False(r.IsMissingResult, r.ToString()));
        Assert.Equal(Enumerable.Range(0, Points), rows.Select(r => r.Params.Index).Order());
        Assert.Equal(Points, rows.Select(r => r.Uid).Distinct().Count());

        // The journals: every resume continued after its last saved step (checked line by line in Journal.Read),
        // and every point ended with a completion.
        var journals = Journal.ReadAll(journal);
        Assert.Equal(rows.Select(r => r.Hash).Order(), journals.Keys.Order());
        Assert.All(journals.Values, j => Assert.Equal("done", j.Lines[^1]));

        // Each kill costs at most one re-execution (and at most one extra claim); some resumed from a checkpoint.
        var reExecutions = journals.Values.Sum(j => j.Starts.Count - 1);
        var extraClaims = rows.Sum(r => r.Attempt - 1);
        var fromCheckpoint = journals.Values.SelectMany(j => j.Starts).Count(s => s.IsResume && s.From > 0);
        output.WriteLine($"{reExecutions} re-executions, {extraClaims} extra claims, {fromCheckpoint} resumed from a checkpoint");
        Assert.True(reExecutions <= kills, $"{reExecutions} re-executions for {kills} kills");
        Assert.True(extraClaims <= kills, $"{extraClaims} extra claims for {kills} kills");
        Assert.True(reExecutions <= extraClaims, $"{reExecutions} re-executions but only {extraClaims} extra claims");
        Assert.True(fromCheckpoint > 0, "No kill landed mid-run: the soak did not exercise a resume.");
        Assert.All(rows, r => Assert.Equal(journals[r.Hash].Starts[^1].Attempt, r.Attempt));
    }

    /// <summary>The steps the sweep still has to run, from the journals: every step after each point's last saved one.</summary>
    private static int StepsLeft(string journal)
    {
        var left = Points * Steps;
        foreach (var file in Directory.GetFiles(journal, "*.log"))
        {
            var saved = File.ReadLines(file).Where(static l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(static l => int.Parse(l[6..], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();
            left -= saved + 1;
        }

        return left;
    }

    private static int Setting(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
