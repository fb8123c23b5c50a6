using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit ledger check</c> and <c>expkit ledger rebuild</c>.</summary>
internal static class LedgerCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var command = new Command("ledger", "Check the ledger's integrity, or rebuild a ledger from the run folders.");
        command.Subcommands.Add(Check(console, options));
        command.Subcommands.Add(Rebuild(console, options));
        return command;
    }

    private static Command Check(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var command = new Command("check", "SQLite integrity check (not on PostgreSQL), rows whose folders are missing, folders without rows. Exit code 1 when a problem is found.");
        command.Arguments.Add(rootArgument);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root(rootArgument);
            var target = context.Ledger(root);
            await using var ledger = await LedgerAccess.OpenAsync(target, create: false, ct).ConfigureAwait(false);
            var o = context.Out;
            var a = context.Ansi;
            var problems = 0;
            if (target.SqlitePath is not { } path)
            {
                // PostgreSQL checks its own pages (checksums, amcheck are the DBA's tools); what expkit can check is the rows against the folders.
                o.WriteLine($"{a.Green("ok")}  {target.Display} opened; the SQLite integrity check does not apply (skipped)");
            }
            else if (IntegrityCheck(path) is var integrity && integrity is ["ok"])
            {
                o.WriteLine($"{a.Green("ok")}  SQLite integrity check of {path}");
            }
            else
            {
                problems += integrity.Count;
                o.WriteLine($"{a.Red("FAIL")}  SQLite integrity check of {path}:");
                foreach (var line in integrity.Take(20))
                {
                    o.WriteLine("      " + line);
                }

                o.WriteLine("      stop every process using the ledger, then restore it from a backup or 'expkit ledger rebuild' from the run folders.");
            }

            var rows = await ledger.ListAsync(new RunQuery { OrderBy = RunOrder.Uid }, ct).ConfigureAwait(false);
            // A registered result may live outside the root and have no run folder; a Pending row has none yet.
            var missing = rows.Where(r => r.Status != RunStatus.Pending
                    && (r.ResultFile is null || r.ResultFile.StartsWith(r.RelativeDirectory + "/", StringComparison.Ordinal))
                    && !Directory.Exists(RunPaths.Directory(root, r)))
                .ToList();
            problems += missing.Count;
            o.WriteLine($"{(missing.Count == 0 ? a.Green("ok") : a.Red("FAIL"))}  {rows.Count} row(s); {missing.Count} whose folder is missing");
            foreach (var row in missing.Take(50))
            {
                o.WriteLine($"      {Format.RunName(row)} {row.Key.Hash} {row.Status}: no folder {row.RelativeDirectory} ('expkit delete {Format.RunName(row)}' removes the row)");
            }

            var known = rows.Select(static r => r.RelativeDirectory).ToHashSet(StringComparer.Ordinal);
            var orphans = RunFolderScan.Find(root).Where(f => !known.Contains(f.RelativePath)).ToList();
            problems += orphans.Count;
            o.WriteLine($"{(orphans.Count == 0 ? a.Green("ok") : a.Red("FAIL"))}  {orphans.Count} run folder(s) without a row");
            foreach (var folder in orphans.Take(50))
            {
                o.WriteLine($"      {folder.RelativePath} ('expkit ledger rebuild' indexes it; 'expkit gc --apply' deletes it)");
            }

            o.WriteLine(problems == 0 ? "the ledger and the run folders agree." : $"{problems} problem(s) found.");
            return problems == 0 ? ExitCodes.Ok : ExitCodes.NotFound;
        });
        return command;
    }

    private static List<string> IntegrityCheck(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var lines = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static Command Rebuild(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var output = new Option<string?>("--out", "-o") { Description = "The new ledger file (default: {root}/ledger.rebuilt-{time}.db). Never the live ledger." };
        var command = new Command("rebuild", "Rebuild a SQLite ledger from the run folders (run.json + params.json) into a NEW file beside the old one; prints how to swap them. Not for a PostgreSQL ledger.");
        command.Arguments.Add(rootArgument);
        command.Options.Add(output);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root(rootArgument);
            if (context.Ledger(root) is { IsPostgres: true } postgres)
            {
                throw CliException.Bad(
                    $"'expkit ledger rebuild' writes a new SQLite ledger file and does not apply to the {postgres.Display}: its rows live in the database "
                    + "(back it up with pg_dump). 'expkit ledger check' compares its rows with the run folders.");
            }

            if (!Directory.Exists(root))
            {
                throw CliException.NotFound($"No results folder at {root}; pass --root.");
            }

            var live = Path.GetFullPath(Path.Combine(root, LedgerAccess.FileName));
            var target = context.Parse.GetValue(output) is { } o
                ? Path.GetFullPath(o, context.Console.CurrentDirectory)
                : Path.Combine(root, $"ledger.rebuilt-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.db");
            if (string.Equals(target, live, StringComparison.Ordinal))
            {
                throw CliException.Bad($"--out is the live ledger {live}; rebuild writes a new file. Pick another name, then swap them as the output says.");
            }

            if (File.Exists(target))
            {
                throw CliException.Bad($"{target} exists; remove it or pick another --out.");
            }

            var folders = RunFolderScan.Find(root);
            var rows = new List<RunRow>();
            var skipped = new List<string>();
            foreach (var folder in folders)
            {
                var row = RunFolder.TryReadStatus(folder.FullPath);
                if (row is null || row.Key.Experiment != folder.Experiment || row.Uid != folder.Uid || row.Key.Hash != folder.Hash)
                {
                    skipped.Add(folder.RelativePath);
                    continue;
                }

                rows.Add(row);
            }

            int inserted;
            await using (var ledger = await SqliteRunLedger.OpenAsync(target, new ExperimentStoreOptions(), ct).ConfigureAwait(false))
            {
                inserted = await ledger.ImportAsync(rows, ct).ConfigureAwait(false);
            }

            var w = context.Out;
            w.WriteLine($"rebuilt {inserted} run(s) from {folders.Count} folder(s) into {target}");
            foreach (var s in skipped)
            {
                w.WriteLine($"  skipped {s}: run.json or params.json missing, garbled, or not matching the folder name");
            }

            w.WriteLine("Notes and tags set after a run's last state change, and the submissions queue, are not in the folders and are not rebuilt.");
            w.WriteLine("The old ledger was not touched. To use the rebuilt one, stop every process using the root (the last one folds ledger.db-wal into ledger.db), then:");
            var rel = Path.GetFileName(target);
            w.WriteLine($"  cd {root}");
            w.WriteLine($"  mv ledger.db ledger.old.db && mv {rel} ledger.db");
            return inserted == 0 && folders.Count == 0 ? ExitCodes.NotFound : ExitCodes.Ok;
        });
        return command;
    }
}
