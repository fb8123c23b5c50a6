using System.CommandLine;
using System.Globalization;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit show RUN</c>: everything about one run.</summary>
internal static class ShowCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var run = new Argument<string>("RUN") { Description = "experiment:uid, a uid (with --experiment), or a hash / hash prefix." };
        var experiment = CliOptions.Experiment();
        var json = CliOptions.Json();
        var command = new Command("show", "Everything about one run: params, components, files with sizes, summary, error, attempts, fingerprint, folder.");
        command.Arguments.Add(run);
        command.Options.Add(experiment);
        command.Options.Add(json);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root();
            await using var ledger = await context.OpenLedgerAsync(root, ct: ct).ConfigureAwait(false);
            var row = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(run)!, context.Parse.GetValue(experiment), ct).ConfigureAwait(false);
            if (context.Parse.GetValue(json))
            {
                await RunJson.WriteToAsync(context.Out, w => RunJson.Write(w, row, full: true)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var a = context.Ansi;
            var o = context.Out;
            var folder = RunPaths.Directory(root, row);
            o.WriteLine(a.Bold($"{Format.RunName(row)}  {row.Key.Hash}  v{row.Key.Version}"));
            o.WriteLine($"  status       {a.Status(row.Status, row.Status.ToString())} (attempt {row.Attempt})");
            o.WriteLine($"  created      {Format.Time(row.Created)}");
            o.WriteLine($"  started      {Format.Time(row.Started)}");
            o.WriteLine($"  finished     {Format.Time(row.Finished)}");
            o.WriteLine($"  last used    {Format.Time(row.LastUsed)}");
            o.WriteLine($"  elapsed      {Format.Elapsed(row.Elapsed)}");
            if (row.Owner is { } owner)
            {
                o.WriteLine($"  owner        {owner.Host} pid {owner.ProcessId}{(row.LeaseExpires is { } l ? $", lease until {Format.Time(l)}" : string.Empty)}");
            }

            o.WriteLine($"  fingerprint  {row.RunnerFingerprint ?? "(not recorded)"}");
            o.WriteLine($"  folder       {folder}{(Directory.Exists(folder) ? string.Empty : a.Red("  (missing)"))}");
            if (row.Note is not null)
            {
                o.WriteLine($"  note         {row.Note}");
            }

            if (row.Tags.Count > 0)
            {
                o.WriteLine($"  tags         {string.Join(", ", row.Tags)}");
            }

            o.WriteLine(a.Bold("params"));
            foreach (var field in FlatParams.Of(row).Values)
            {
                o.WriteLine($"  {field.Path} = {field.Display}{(field.IsHashed ? string.Empty : a.Dim("  (not hashed)"))}");
            }

            if (row.ComponentHashes.Count > 0)
            {
                o.WriteLine(a.Bold("components"));
                foreach (var (name, hash) in row.ComponentHashes.OrderBy(static p => p.Key, StringComparer.Ordinal))
                {
                    o.WriteLine($"  {name} {hash}");
                }
            }

            if (row.Summary.Count > 0)
            {
                o.WriteLine(a.Bold("summary"));
                foreach (var (name, value) in row.Summary.OrderBy(static p => p.Key, StringComparer.Ordinal))
                {
                    o.WriteLine($"  {name} = {Format.Exact(value)}");
                }
            }

            if (row.Error is not null)
            {
                o.WriteLine(a.Bold(a.Red("error")));
                foreach (var line in row.Error.TrimEnd().Split('\n').Take(20))
                {
                    o.WriteLine("  " + line.TrimEnd());
                }
            }

            o.WriteLine(a.Bold("files"));
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
                    o.WriteLine($"  {relative,-40} {Format.Bytes(new FileInfo(file).Length),10}");
                }
            }
            else
            {
                o.WriteLine(a.Red($"  the run folder is missing ({row.RelativeDirectory}); 'expkit ledger check' lists every such run."));
            }

            if (row.Metadata.Count > 0)
            {
                o.WriteLine(a.Bold("metadata"));
                foreach (var (key, value) in row.Metadata.OrderBy(static p => p.Key, StringComparer.Ordinal))
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key} = {value}"));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
