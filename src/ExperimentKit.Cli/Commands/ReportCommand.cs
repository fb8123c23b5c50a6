using System.CommandLine;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace ExperimentKit.Cli.Commands;

/// <summary>
/// <c>expkit report</c>: one self-contained HTML file (script, style, data and plots inline; nothing loaded
/// from the network): a sortable, filterable runs table, metric curves per run and overlaid for selected
/// runs, and a scatter of a parameter against a summary metric.
/// </summary>
internal static class ReportCommand
{
    /// <summary>Curves are thinned to at most this many points per metric and run, so reports of long runs stay small.</summary>
    private const int MaxPoints = 400;

    public static Command Create(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var filters = new RunFilters();
        var output = new Option<string>("--out", "-o") { Description = "The HTML file to write.", DefaultValueFactory = _ => "report.html" };
        var title = new Option<string?>("--title") { Description = "The page title (default: the root's folder name)." };
        var command = new Command("report", "Write one self-contained HTML report: runs table, metric curves, param-vs-metric scatter.");
        command.Arguments.Add(rootArgument);
        filters.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(title);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root(rootArgument);
            await using var ledger = await context.OpenLedgerAsync(root, ct: ct).ConfigureAwait(false);
            IReadOnlyList<RunRow> rows;
            try
            {
                rows = await ledger.ListAsync(filters.Query(context.Parse) with { OrderBy = RunOrder.Created }, ct).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw CliException.Bad(e.Message);
            }

            if (rows.Count == 0)
            {
                throw CliException.NotFound("No runs match; the report would be empty. 'expkit runs' lists the runs.");
            }

            var json = await BuildDataAsync(root, rows, context.Parse.GetValue(title) ?? Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)), ct).ConfigureAwait(false);
            var html = Render(json);
            var path = Path.GetFullPath(context.Parse.GetValue(output)!, context.Console.CurrentDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            await File.WriteAllTextAsync(temp, html, new UTF8Encoding(false), ct).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
            await context.Out.WriteLineAsync($"wrote {path} ({rows.Count} run(s), {Format.Bytes(new FileInfo(path).Length)}); open it in a browser, it needs no network.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The page: the template with its script, style and data inlined.</summary>
    internal static string Render(string dataJson)
    {
        // The data sits in a <script type="application/json"> element: "</" could end it early, so every '<'
        // is written as \u003c (the JSON writer's default encoder escapes it; this makes sure).
        var safe = dataJson.Replace("<", "\\u003c", StringComparison.Ordinal);
        return Resource("report.html")
            .Replace("/*EXPKIT_CSS*/", Resource("report.css"), StringComparison.Ordinal)
            .Replace("/*EXPKIT_JS*/", Resource("report.js"), StringComparison.Ordinal)
            .Replace("\"EXPKIT_DATA\"", safe, StringComparison.Ordinal);
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ExperimentKit.Cli.Report." + name)
            ?? throw new InvalidOperationException($"The report resource {name} is missing from the tool.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static async Task<string> BuildDataAsync(string root, IReadOnlyList<RunRow> rows, string title, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("title", title);
            w.WriteString("generated", DateTimeOffset.UtcNow);
            w.WriteStartArray("runs");
            foreach (var row in rows)
            {
                w.WriteStartObject();
                w.WriteString("id", Format.RunName(row));
                RunJson.WriteIdentity(w, row);
                w.WriteString("created", Format.IsoTime(row.Created));
                if (row.Elapsed is { } e)
                {
                    w.WriteNumber("elapsed", e.TotalSeconds);
                }
                else
                {
                    w.WriteNull("elapsed");
                }

                w.WriteString("error", Format.FirstLine(row.Error));
                w.WriteString("note", row.Note);
                w.WriteStartObject("params");
                foreach (var field in FlatParams.Of(row).Values)
                {
                    w.WritePropertyName(field.Path);
                    if (field.Kind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        w.WriteStringValue(field.Json);
                    }
                    else
                    {
                        w.WriteRawValue(field.Json, skipInputValidation: true);
                    }
                }

                w.WriteEndObject();
                w.WriteStartObject("summary");
                foreach (var (name, value) in row.Summary.OrderBy(static p => p.Key, StringComparer.Ordinal))
                {
                    WriteFinite(w, name, value);
                }

                w.WriteEndObject();
                w.WriteStartObject("metrics");
                var path = Path.Combine(RunPaths.Directory(root, row), MetricsLog.FileName);
                if (File.Exists(path))
                {
                    IReadOnlyList<MetricPoint> points;
                    try
                    {
                        points = await MetricsLog.ReadAsync(path, ct).ConfigureAwait(false);
                    }
                    catch (InvalidDataException)
                    {
                        points = [];
                    }

                    foreach (var metric in points.SelectMany(static p => p.Values.Keys).Distinct().Order(StringComparer.Ordinal))
                    {
                        var series = points.Where(p => p.Values.ContainsKey(metric)).ToList();
                        var stride = Math.Max(1, (int)Math.Ceiling(series.Count / (double)MaxPoints));
                        w.WriteStartArray(metric);
                        for (var i = 0; i < series.Count; i++)
                        {
                            // Keep every stride-th point and always the last one.
                            if (i % stride != 0 && i != series.Count - 1)
                            {
                                continue;
                            }

                            w.WriteStartArray();
                            w.WriteNumberValue(series[i].Step);
                            var v = series[i].Values[metric];
                            if (double.IsFinite(v))
                            {
                                w.WriteNumberValue(v);
                            }
                            else
                            {
                                w.WriteNullValue();
                            }

                            w.WriteEndArray();
                        }

                        w.WriteEndArray();
                    }
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteFinite(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
