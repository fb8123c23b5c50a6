using System.CommandLine;
using System.Globalization;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit metrics RUN</c>: a run's metric series from its metrics.jsonl.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var run = new Argument<string>("RUN") { Description = "experiment:uid, a uid (with --experiment), or a hash prefix." };
        var experiment = CliOptions.Experiment();
        var names = new Option<string[]>("--name") { Description = "Only these metrics (repeatable): --name loss.", AllowMultipleArgumentsPerToken = true };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (step,time,metric...) instead of a table." };
        var command = new Command("metrics", "A run's metric series (metrics.jsonl): one row per logged step.");
        command.Arguments.Add(run);
        command.Options.Add(experiment);
        command.Options.Add(names);
        command.Options.Add(csv);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root();
            await using var ledger = await context.OpenLedgerAsync(root, ct: ct).ConfigureAwait(false);
            var row = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(run)!, context.Parse.GetValue(experiment), ct).ConfigureAwait(false);
            var path = Path.Combine(RunPaths.Directory(root, row), MetricsLog.FileName);
            if (!File.Exists(path))
            {
                throw CliException.NotFound($"Run {Format.RunName(row)} logged no metrics (no {row.RelativeDirectory}/{MetricsLog.FileName}).");
            }

            IReadOnlyList<MetricPoint> points;
            try
            {
                points = await MetricsLog.ReadAsync(path, ct).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw CliException.NotFound(e.Message);
            }

            var all = points.SelectMany(static p => p.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var wanted = context.Parse.GetValue(names) is { Length: > 0 } n ? n.SelectMany(static x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() : all;
            var unknown = wanted.Except(all).ToList();
            if (unknown.Count > 0)
            {
                throw CliException.NotFound($"Run {Format.RunName(row)} has no metric {string.Join(", ", unknown.Select(static u => $"'{u}'"))}; its metrics are: {string.Join(", ", all)}.");
            }

            if (context.Parse.GetValue(csv))
            {
                await context.Out.WriteLineAsync(Csv.Line(["step", "time", .. wanted])).ConfigureAwait(false);
                foreach (var p in points)
                {
                    if (!wanted.Any(p.Values.ContainsKey))
                    {
                        continue;
                    }

                    await context.Out.WriteLineAsync(Csv.Line([p.Step.ToString(CultureInfo.InvariantCulture), Format.IsoTime(p.Time), .. wanted.Select(w => p.Values.TryGetValue(w, out var v) ? Format.Exact(v) : string.Empty)])).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }

            var table = new TableWriter(["step", .. wanted]);
            for (var i = 0; i <= wanted.Count; i++)
            {
                table.RightAligned.Add(i);
            }

            foreach (var p in points.Where(p => wanted.Any(p.Values.ContainsKey)))
            {
                table.Add([p.Step.ToString(CultureInfo.InvariantCulture), .. wanted.Select(w => p.Values.TryGetValue(w, out var v) ? Format.Number(v) : string.Empty)]);
            }

            table.Write(context.Out, context.Console.Width, context.Ansi);
            return ExitCodes.Ok;
        });
        return command;
    }
}
