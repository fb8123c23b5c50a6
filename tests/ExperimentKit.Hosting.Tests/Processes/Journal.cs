using System.Globalization;

namespace ExperimentKit.Hosting.Tests.Processes;

/// <summary>One start of a soak run, as its journal line says: <c>start {attempt} {isResume} {fromStep}</c>.</summary>
internal sealed record JournalStart(int Attempt, bool IsResume, int From, int LastSavedBefore);

/// <summary>The journal the soak runner keeps per run (<c>{hash}.log</c>): starts, saved steps and completions.</summary>
internal sealed class Journal
{
    private Journal(string hash, List<string> lines) => (Hash, Lines) = (hash, lines);

    public string Hash { get; }

    public List<string> Lines { get; }

    public List<JournalStart> Starts { get; } = [];

    public int Done { get; private set; }

    public static Dictionary<string, Journal> ReadAll(string folder)
        => Directory.GetFiles(folder, "*.log").Select(Read).ToDictionary(j => j.Hash);

    /// <summary>
    /// Reads a journal and checks what holds line by line: within one start the saved steps run on from its
    /// first step without a gap, and every resume continues right after the last step saved before it (at most
    /// one step later, for a checkpoint whose journal line a kill cut off) — never from 0, never skipping.
    /// </summary>
    public static Journal Read(string path)
    {
        var journal = new Journal(Path.GetFileNameWithoutExtension(path), [.. File.ReadAllLines(path)]);
        var lastSaved = -1;
        var next = -1;
        foreach (var line in journal.Lines)
        {
            var parts = line.Split(' ');
            var where = $"{journal.Hash}: '{line}' in [{string.Join(" | ", journal.Lines)}]";
            switch (parts[0])
            {
                case "start":
                    var start = new JournalStart(Int(parts[1]), bool.Parse(parts[2]), Int(parts[3]), lastSaved);
                    if (journal.Starts.Count == 0)
                    {
                        // Attempt 1, or a resume (from 0) of a claim killed before its runner wrote a line.
                        Assert.True(start.From == 0 && start.IsResume == start.Attempt > 1, $"The first start begins at step 0, resuming only a lost claim: {where}");
                    }
                    else
                    {
                        Assert.True(start.Attempt > journal.Starts[^1].Attempt, $"Attempts only grow: {where}");
                        Assert.True(start.IsResume, $"A start after a lost one is a resume: {where}");
                        Assert.True(start.From >= lastSaved + 1, $"Resumed at or before step {lastSaved}, which it had saved: {where}");
                        Assert.True(start.From <= lastSaved + 2, $"Resumed after a step it never saved (last saved {lastSaved}): {where}");
                    }

                    journal.Starts.Add(start);
                    next = start.From;
                    break;
                case "saved":
                    var step = Int(parts[1]);
                    Assert.True(step == next, $"Expected step {next} next: {where}");
                    lastSaved = step;
                    next = step + 1;
                    break;
                case "done":
                    journal.Done++;
                    break;
                default:
                    Assert.Fail($"Unreadable journal line (torn by a kill?): {where}");
                    break;
            }
        }

        return journal;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
