using System.CommandLine;
using System.Text.Json;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit runs</c>: a table of runs with the parameters that vary, summary metrics and elapsed time.</summary>
internal static class RunsCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var filters = new RunFilters();
        var sort = new Option<string>("--sort")
        {
            Description = "Order: created (default), last-used, uid, or metric:NAME (by a summary metric; runs without it last).",
            DefaultValueFactory = _ => "created",
        };
        var descending = new Option<bool>("--desc") { Description = "Largest / newest first." };
        var limit = new Option<int?>("--limit", "-n") { Description = "At most N runs (after sorting)." };
        var json = CliOptions.Json();
        var command = new Command("runs", "List runs: uid, hash, status, attempt, the parameters that vary, summary metrics, elapsed.");
        command.Arguments.Add(rootArgument);
        filters.AddTo(command);
        command.Options.Add(sort);
        command.Options.Add(descending);
        command.Options.Add(limit);
        command.Options.Add(json);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var query = filters.Query(context.Parse);
            var sortBy = context.Parse.GetValue(sort) ?? "created";
            var desc = context.Parse.GetValue(descending);
            var max = context.Parse.GetValue(limit);
            if (max is < 0)
            {
                throw CliException.Bad("--limit must be 0 or more.");
            }

            string? metric = null;
            switch (sortBy.ToLowerInvariant())
            {
                case "created":
                    query = query with { OrderBy = RunOrder.Created };
                    break;
                case "last-used":
                    query = query with { OrderBy = RunOrder.LastUsed };
                    break;
                case "uid":
                    query = query with { OrderBy = RunOrder.Uid };
                    break;
                default:
                    if (!sortBy.StartsWith("metric:", StringComparison.OrdinalIgnoreCase) || sortBy.Length == "metric:".Length)
                    {
                        throw CliException.Bad($"--sort '{sortBy}' is not created, last-used, uid or metric:NAME (e.g. --sort metric:loss).");
                    }

                    metric = sortBy["metric:".Length..];
                    break;
            }

            await using var ledger = await context.OpenLedgerAsync(context.Root(rootArgument), ct: ct).ConfigureAwait(false);
            IReadOnlyList<RunRow> rows;
            try
            {
                rows = await ledger.ListAsync(query with { Descending = desc, Limit = metric is null ? max : null }, ct).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw CliException.Bad(e.Message);
            }

            if (metric is not null)
            {
                var with = rows.Where(r => r.Summary.TryGetValue(metric, out var v) && !double.IsNaN(v));
                var sorted = desc ? with.OrderByDescending(r => r.Summary[metric]) : with.OrderBy(r => r.Summary[metric]);
                rows = sorted.ThenBy(static r => r.Uid).Concat(rows.Where(r => !r.Summary.TryGetValue(metric, out var v) || double.IsNaN(v))).ToList();
                if (max is { } m)
                {
                    rows = rows.Take(m).ToList();
                }

                if (!rows.Any(r => r.Summary.ContainsKey(metric)))
                {
                    await context.Error.WriteLineAsync($"expkit: warning: no listed run has a summary metric '{metric}'.").ConfigureAwait(false);
                }
            }

            if (context.Parse.GetValue(json))
            {
                await WriteJsonAsync(context.Out, rows).ConfigureAwait(false);
                return rows.Count == 0 ? ExitCodes.NotFound : ExitCodes.Ok;
            }

            if (rows.Count == 0)
            {
                await context.Error.WriteLineAsync("expkit: no runs match.").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            WriteTable(context, rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteTable(CliContext context, IReadOnlyList<RunRow> rows)
    {
        var flats = rows.Select(FlatParams.Of).ToList();
        var varying = Varying(flats);
        var metrics = rows.SelectMany(static r => r.Summary.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var manyExperiments = rows.Select(static r => r.Key.Experiment).Distinct().Count() > 1;
        var headers = new List<string> { manyExperiments ? "run" : "uid", "hash", "status", "att" };
        headers.AddRange(varying);
        headers.AddRange(metrics);
        headers.Add("elapsed");
        var table = new TableWriter(headers);
        table.Fixed.UnionWith([0, 2, 3]);
        table.RightAligned.Add(3);
        for (var i = 4 + varying.Count; i < headers.Count; i++)
        {
            table.RightAligned.Add(i);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var cells = new List<string>
            {
                manyExperiments ? Format.RunName(row) : Format.Uid(row.Uid),
                row.Key.Hash[..8],
                row.Status.ToString(),
                row.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            cells.AddRange(varying.Select(p => flats[i].TryGetValue(p, out var f) ? f.Display : string.Empty));
            cells.AddRange(metrics.Select(m => row.Summary.TryGetValue(m, out var v) ? Format.Number(v) : string.Empty));
            cells.Add(Format.Elapsed(row.Elapsed));
            var status = row.Status;
            table.Add(cells, [null, null, s => context.Ansi.Status(status, s)]);
        }

        table.Write(context.Out, context.Console.Width, context.Ansi);
        context.Out.WriteLine(context.Ansi.Dim($"{rows.Count} run(s){(varying.Count == 0 ? string.Empty : "; parameter columns are those that vary")}. 'expkit show RUN' for one run."));
    }

    /// <summary>The parameter paths whose values are not all the same across the rows (all of them for a single run).</summary>
    internal static List<string> Varying(IReadOnlyList<IReadOnlyDictionary<string, FlatField>> flats)
    {
        var paths = flats.SelectMany(static f => f.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (flats.Count <= 1)
        {
            return paths;
        }

        return paths.Where(p =>
        {
            var values = flats.Select(f => f.TryGetValue(p, out var v) ? v.Json : null).ToList();
            return values.Any(v => !FlatParams.SameValue(v, values[0]));
        }).ToList();
    }

    private static async Task WriteJsonAsync(TextWriter output, IReadOnlyList<RunRow> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                RunJson.Write(writer, row, full: false);
            }

            writer.WriteEndArray();
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray())).ConfigureAwait(false);
    }
}
