using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary>
/// <c>expkit why EXPERIMENT Member=value ...</c>: why a parameter set misses the cache, without the user's
/// assembly. The assignments are matched against the flat fields of the experiment's recorded runs: a run
/// that agrees on every given field is a candidate hit; otherwise the nearest runs and the fields that differ.
/// </summary>
internal static class WhyCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var experiment = new Argument<string>("EXPERIMENT") { Description = "The experiment name (quickstart/logreg)." };
        var assignments = new Argument<string[]>("ASSIGNMENTS") { Description = "Member=value pairs (LearningRate=0.1 Data.Seed=2).", Arity = ArgumentArity.OneOrMore };
        var nearest = new Option<int>("--nearest") { Description = "How many nearest runs to show.", DefaultValueFactory = _ => 3 };
        var command = new Command("why", "Explain a cache miss: the recorded runs nearest to Member=value ... and the fields that differ.");
        command.Arguments.Add(experiment);
        command.Arguments.Add(assignments);
        command.Options.Add(nearest);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var name = context.Parse.GetValue(experiment)!;
            await using var ledger = await context.OpenLedgerAsync(context.Root(), ct: ct).ConfigureAwait(false);
            var rows = await ledger.ListAsync(new RunQuery { Experiment = name, OrderBy = RunOrder.Created, Descending = true }, ct).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                throw CliException.NotFound($"Experiment '{name}' has no recorded runs, so every parameter set of it is a miss. 'expkit runs' lists the experiments.");
            }

            var flats = rows.Select(FlatParams.Of).ToList();
            var known = flats.SelectMany(static f => f.Keys).Distinct().ToList();
            var wanted = new List<(string Path, string Json)>();
            foreach (var assignment in context.Parse.GetValue(assignments)!)
            {
                var eq = assignment.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw CliException.Bad($"'{assignment}' is not Member=value (e.g. LearningRate=0.1 or Data.Seed=2).");
                }

                var path = ResolvePath(assignment[..eq].Trim(), known, name);
                var value = assignment[(eq + 1)..];
                if (value.Contains(',', StringComparison.Ordinal) && !value.TrimStart().StartsWith('"'))
                {
                    throw CliException.Bad($"'{assignment}' has several values; 'why' explains one parameter set: give one value per member.");
                }

                wanted.Add((path, FlatParams.ParseValue(value)));
            }

            var scored = rows.Select((row, i) =>
            {
                var differences = wanted
                    .Where(w => !flats[i].TryGetValue(w.Path, out var f) || !FlatParams.SameValue(f.Json, w.Json))
                    .Select(w => (w.Path, Here: w.Json, There: flats[i].TryGetValue(w.Path, out var f) ? f.Json : null))
                    .ToList();
                return (Row: row, Differences: differences);
            })
            .OrderBy(static s => s.Differences.Count)
            .ThenByDescending(static s => s.Row.Status == RunStatus.Completed)
            .ThenByDescending(static s => s.Row.Key.Version)
            .ThenByDescending(static s => s.Row.Created)
            .ToList();

            var o = context.Out;
            var a = context.Ansi;
            var given = string.Join(", ", wanted.Select(static w => $"{w.Path}={w.Json}"));
            var exact = scored.Where(static s => s.Differences.Count == 0).ToList();
            var newest = rows.Max(static r => r.Key.Version);
            if (exact.FirstOrDefault(static s => s.Row.Status == RunStatus.Completed) is { Row: { } hit })
            {
                o.WriteLine($"{a.Green("hit")}: run {Format.RunName(hit)} ({hit.Key.Hash}, v{hit.Key.Version}) is Completed with {given}; a sweep point with these values, and the other fields as recorded there, is skipped.");
                if (hit.Key.Version != newest)
                {
                    o.WriteLine(a.Yellow($"  but it was recorded under version {hit.Key.Version}; the newest recorded version is {newest}: under it this is a miss."));
                }
            }
            else if (exact.Count > 0)
            {
                var r = exact[0].Row;
                o.WriteLine($"{a.Yellow("miss")}: run {Format.RunName(r)} ({r.Key.Hash}) has {given} but is {r.Status}{(r.Error is null ? string.Empty : ": " + Format.FirstLine(r.Error))}; only Completed runs are skipped.");
            }
            else
            {
                o.WriteLine($"{a.Yellow("miss")}: no recorded run of '{name}' has {given}.");
            }

            o.WriteLine(a.Bold("nearest runs:"));
            foreach (var (row, differences) in scored.Take(Math.Max(1, context.Parse.GetValue(nearest))))
            {
                var what = differences.Count == 0
                    ? "matches every given field"
                    : "differs in " + string.Join(", ", differences.Select(static d => $"{d.Path} ({Shown(d.There)} there, {Shown(d.Here)} here)"));
                o.WriteLine($"  {Format.RunName(row)}  {row.Key.Hash[..8]}  v{row.Key.Version}  {a.Status(row.Status, row.Status.ToString()),-11}  {what}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Shown(string? json) => json ?? "absent";

    /// <summary>Matches a typed path to a recorded one, ignoring case; suggests the nearest when none matches.</summary>
    private static string ResolvePath(string path, List<string> known, string experiment)
    {
        if (known.Contains(path))
        {
            return path;
        }

        var folded = known.Where(k => string.Equals(k, path, StringComparison.OrdinalIgnoreCase)).ToList();
        if (folded.Count == 1)
        {
            return folded[0];
        }

        var nearest = known.OrderBy(k => Levenshtein(k.ToUpperInvariant(), path.ToUpperInvariant())).FirstOrDefault();
        throw CliException.Bad($"No recorded run of '{experiment}' has a field '{path}'{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Fields: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
    }

    internal static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
