using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit diff RUN RUN</c>: which components changed and which fields differ.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var left = new Argument<string>("RUN1") { Description = "The first run (experiment:uid, uid with --experiment, or hash prefix)." };
        var right = new Argument<string>("RUN2") { Description = "The second run." };
        var experiment = CliOptions.Experiment();
        var all = new Option<bool>("--all") { Description = "Show every field, not only those that differ." };
        var json = CliOptions.Json();
        var command = new Command("diff", "Compare two runs: the components whose hashes changed and, field by field, what differs.");
        command.Arguments.Add(left);
        command.Arguments.Add(right);
        command.Options.Add(experiment);
        command.Options.Add(all);
        command.Options.Add(json);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            await using var ledger = await context.OpenLedgerAsync(context.Root(), ct: ct).ConfigureAwait(false);
            var exp = context.Parse.GetValue(experiment);
            var a = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(left)!, exp, ct).ConfigureAwait(false);
            var b = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(right)!, exp, ct).ConfigureAwait(false);
            var diff = RunDiff.Compare(a, b);
            var showAll = context.Parse.GetValue(all);
            if (context.Parse.GetValue(json))
            {
                await RunJson.WriteToAsync(context.Out, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("left", Format.RunName(a));
                    w.WriteString("right", Format.RunName(b));
                    w.WriteBoolean("sameHash", a.Key == b.Key);
                    w.WriteStartArray("changedComponents");
                    diff.ChangedComponents.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                    w.WriteStartArray("fields");
                    foreach (var f in diff.Fields.Where(f => showAll || f.Differs))
                    {
                        w.WriteStartObject();
                        w.WriteString("path", f.Path);
                        w.WritePropertyName("left");
                        w.WriteRawValue(f.Left ?? "null", skipInputValidation: true);
                        w.WritePropertyName("right");
                        w.WriteRawValue(f.Right ?? "null", skipInputValidation: true);
                        w.WriteBoolean("differs", f.Differs);
                        w.WriteBoolean("hashed", f.IsHashed);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var ansi = context.Ansi;
            var o = context.Out;
            o.WriteLine($"{ansi.Bold(Format.RunName(a))} {a.Key.Hash} v{a.Key.Version} {a.Status}  vs  {ansi.Bold(Format.RunName(b))} {b.Key.Hash} v{b.Key.Version} {b.Status}");
            if (a.Key.Experiment != b.Key.Experiment || a.Key.Version != b.Key.Version)
            {
                o.WriteLine(ansi.Yellow($"different experiment or version: {a.Key.Experiment} v{a.Key.Version} vs {b.Key.Experiment} v{b.Key.Version}"));
            }

            o.WriteLine(diff.ChangedComponents.Count == 0
                ? "components: none changed"
                : $"components changed: {string.Join(", ", diff.ChangedComponents.Select(c => $"{c} ({Hash(a, c)} → {Hash(b, c)})"))}");
            var shown = diff.Fields.Where(f => showAll || f.Differs).ToList();
            if (shown.Count == 0)
            {
                o.WriteLine(a.Key == b.Key ? "fields: identical (the same run key)" : "fields: no field differs");
                return ExitCodes.Ok;
            }

            var table = new TableWriter(["field", Format.Uid(a.Uid), Format.Uid(b.Uid), string.Empty]);
            foreach (var f in shown)
            {
                var marker = f.Differs ? (f.IsHashed ? "*" : "* not hashed") : string.Empty;
                table.Add([f.Path, Display(f.Left), Display(f.Right), marker], f.Differs ? [ansi.Yellow, null, null, null] : null);
            }

            table.Write(o, context.Console.Width, ansi);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Hash(RunRow row, string component) => row.ComponentHashes.TryGetValue(component, out var h) ? h : "-";

    private static string Display(string? json) => json is null ? "(absent)" : new FlatField(string.Empty, json, json.StartsWith('"') ? System.Text.Json.JsonValueKind.String : System.Text.Json.JsonValueKind.Number, true).Display;
}

/// <summary>A field of two runs' parameters side by side.</summary>
internal sealed record FieldPair(string Path, string? Left, string? Right, bool Differs, bool IsHashed);

/// <summary>The difference of two runs computed from their rows alone.</summary>
internal sealed record RunDiff(List<string> ChangedComponents, List<FieldPair> Fields)
{
    public static RunDiff Compare(RunRow a, RunRow b)
    {
        var components = a.ComponentHashes.Keys.Union(b.ComponentHashes.Keys)
            .Where(c => !a.ComponentHashes.TryGetValue(c, out var x) || !b.ComponentHashes.TryGetValue(c, out var y) || x != y)
            .Order(StringComparer.Ordinal)
            .ToList();
        var fa = FlatParams.Of(a);
        var fb = FlatParams.Of(b);
        var fields = fa.Keys.Union(fb.Keys).Order(StringComparer.Ordinal).Select(p =>
        {
            fa.TryGetValue(p, out var x);
            fb.TryGetValue(p, out var y);
            return new FieldPair(p, x?.Json, y?.Json, !FlatParams.SameValue(x?.Json, y?.Json), (x?.IsHashed ?? true) && (y?.IsHashed ?? true));
        }).ToList();
        return new RunDiff(components, fields);
    }
}
