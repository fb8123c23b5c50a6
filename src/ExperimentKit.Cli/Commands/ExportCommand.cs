using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExperimentKit.Cli.Commands;

/// <summary>
/// <c>expkit export</c>: one row per run with its flat params and summary, as CSV or JSON lines. Columns:
/// <c>experiment, version, uid, hash, status, attempt, created, finished, elapsed_s, note, tags</c>, then
/// <c>params.{path}</c> and <c>summary.{name}</c>, so <c>pd.read_csv</c> gets one column per field.
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] Fixed = ["experiment", "version", "uid", "hash", "status", "attempt", "created", "finished", "elapsed_s", "note", "tags"];

    public static Command Create(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var filters = new RunFilters();
        var format = new Option<string>("--format", "-f") { Description = "csv or jsonl.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file (default: standard output)." };
        var command = new Command("export", "One row per run with flat params and summary metrics, as CSV or JSON lines (for pandas).");
        command.Arguments.Add(rootArgument);
        filters.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            await using var ledger = await context.OpenLedgerAsync(context.Root(rootArgument), ct: ct).ConfigureAwait(false);
            IReadOnlyList<RunRow> rows;
            try
            {
                rows = await ledger.ListAsync(filters.Query(context.Parse) with { OrderBy = RunOrder.Uid }, ct).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw CliException.Bad(e.Message);
            }

            rows = rows.OrderBy(static r => r.Key.Experiment, StringComparer.Ordinal).ThenBy(static r => r.Uid).ToList();
            var flats = rows.Select(FlatParams.Of).ToList();
            var paramColumns = flats.SelectMany(static f => f.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var summaryColumns = rows.SelectMany(static r => r.Summary.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var jsonl = context.Parse.GetValue(format) == "jsonl";
            var outPath = context.Parse.GetValue(output);
            TextWriter writer = context.Out;
            FileStream? file = null;
            string? temp = null;
            if (outPath is not null)
            {
                outPath = Path.GetFullPath(outPath, context.Console.CurrentDirectory);
                temp = outPath + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
                writer = new StreamWriter(file, new UTF8Encoding(false));
            }

            try
            {
                if (!jsonl)
                {
                    await writer.WriteLineAsync(Csv.Line([.. Fixed, .. paramColumns.Select(static p => "params." + p), .. summaryColumns.Select(static s => "summary." + s)])).ConfigureAwait(false);
                }

                var progressEvery = Math.Max(1000, rows.Count / 20);
                for (var i = 0; i < rows.Count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    var line = jsonl ? JsonLine(rows[i], flats[i], summaryColumns) : CsvLine(rows[i], flats[i], paramColumns, summaryColumns);
                    await writer.WriteLineAsync(line).ConfigureAwait(false);
                    if (outPath is not null && rows.Count >= 2000 && (i + 1) % progressEvery == 0)
                    {
                        await context.Error.WriteLineAsync($"export: {i + 1:N0}/{rows.Count:N0} runs").ConfigureAwait(false);
                    }
                }

                await writer.FlushAsync(ct).ConfigureAwait(false);
                if (file is not null)
                {
                    await writer.DisposeAsync().ConfigureAwait(false);
                    File.Move(temp!, outPath!, overwrite: true);
                    temp = null;
                    await context.Error.WriteLineAsync($"expkit: wrote {rows.Count} run(s), {paramColumns.Count} param and {summaryColumns.Count} summary column(s), to {outPath}").ConfigureAwait(false);
                }
            }
            finally
            {
                if (file is not null)
                {
                    await writer.DisposeAsync().ConfigureAwait(false);
                }

                if (temp is not null && File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }

            return rows.Count == 0 ? ExitCodes.NotFound : ExitCodes.Ok;
        });
        return command;
    }

    private static IEnumerable<string> FixedValues(RunRow row) =>
    [
        row.Key.Experiment,
        row.Key.Version.ToString(CultureInfo.InvariantCulture),
        row.Uid.ToString(CultureInfo.InvariantCulture),
        row.Key.Hash,
        row.Status.ToString(),
        row.Attempt.ToString(CultureInfo.InvariantCulture),
        Format.IsoTime(row.Created),
        Format.IsoTime(row.Finished),
        row.Elapsed is { } e ? Format.Exact(e.TotalSeconds) : string.Empty,
        row.Note ?? string.Empty,
        string.Join(';', row.Tags),
    ];

    private static string CsvLine(RunRow row, IReadOnlyDictionary<string, FlatField> flat, List<string> paramColumns, List<string> summaryColumns)
        => Csv.Line(
        [
            .. FixedValues(row),
            .. paramColumns.Select(p => flat.TryGetValue(p, out var f) ? f.Display : string.Empty),
            .. summaryColumns.Select(s => row.Summary.TryGetValue(s, out var v) ? Format.Exact(v) : string.Empty),
        ]);

    private static string JsonLine(RunRow row, IReadOnlyDictionary<string, FlatField> flat, List<string> summaryColumns)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            RunJson.WriteIdentity(w, row);
            w.WriteString("created", Format.IsoTime(row.Created));
            w.WriteString("finished", row.Finished is null ? null : Format.IsoTime(row.Finished));
            if (row.Elapsed is { } e)
            {
                w.WriteNumber("elapsed_s", e.TotalSeconds);
            }
            else
            {
                w.WriteNull("elapsed_s");
            }

            w.WriteString("note", row.Note);
            w.WriteString("tags", string.Join(';', row.Tags));
            foreach (var field in flat.Values)
            {
                w.WritePropertyName("params." + field.Path);
                w.WriteRawValue(field.Json, skipInputValidation: true);
            }

            foreach (var s in summaryColumns)
            {
                if (row.Summary.TryGetValue(s, out var v))
                {
                    RunJson.WriteNumber(w, "summary." + s, v);
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
