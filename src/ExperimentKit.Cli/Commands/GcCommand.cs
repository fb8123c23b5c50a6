using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary>
/// <c>expkit gc</c>: finds run folders without a ledger row, Running runs whose lease has expired, and the
/// checkpoints of completed runs (only a resume reads them). A dry run by default: it lists what it would do
/// and the space it would free; <c>--apply</c> acts.
/// </summary>
internal static class GcCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var rootArgument = CliOptions.RootArgument();
        var apply = new Option<bool>("--apply") { Description = "Act: delete orphan folders and completed runs' checkpoints, mark stale runs Interrupted. Without it, only list." };
        var command = new Command("gc", "Clean up (dry run unless --apply): folders without a ledger row, runs stuck past their lease, completed runs' checkpoints.");
        command.Arguments.Add(rootArgument);
        command.Options.Add(apply);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root(rootArgument);
            var acting = context.Parse.GetValue(apply);
            await using var ledger = await context.OpenLedgerAsync(root, ct: ct).ConfigureAwait(false);
            var rows = await ledger.ListAsync(new RunQuery { OrderBy = RunOrder.Uid }, ct).ConfigureAwait(false);
            var known = rows.Select(static r => r.RelativeDirectory).ToHashSet(StringComparer.Ordinal);
            var o = context.Out;
            var a = context.Ansi;
            var verb = acting ? "deleted" : "would delete";
            long freed = 0;
            var actions = 0;

            foreach (var folder in RunFolderScan.Find(root).Where(f => !known.Contains(f.RelativePath)))
            {
                var size = RunFolderScan.Size(folder.FullPath);
                o.WriteLine($"orphan folder: {folder.RelativePath} ({Format.Bytes(size)}): {verb}");
                if (acting)
                {
                    Directory.Delete(folder.FullPath, recursive: true);
                }

                freed += size;
                actions++;
            }

            var now = DateTimeOffset.UtcNow;
            foreach (var row in rows.Where(r => r.Status == RunStatus.Running && r.LeaseExpires < now))
            {
                o.WriteLine($"stale run: {Format.RunName(row)} Running, lease expired {Format.Time(row.LeaseExpires)}: {(acting ? "marked Interrupted" : "would mark Interrupted")} (the next sweep resumes it)");
                if (acting)
                {
                    await MarkInterruptedAsync(ledger, row, ct).ConfigureAwait(false);
                }

                actions++;
            }

            foreach (var row in rows.Where(static r => r.Status == RunStatus.Completed))
            {
                var checkpoints = Path.Combine(RunPaths.Directory(root, row), "checkpoints");
                if (!Directory.Exists(checkpoints) || !Directory.EnumerateFileSystemEntries(checkpoints).Any())
                {
                    continue;
                }

                var size = RunFolderScan.Size(checkpoints);
                o.WriteLine($"checkpoints of completed run: {row.RelativeDirectory}/checkpoints ({Format.Bytes(size)}): {verb}");
                if (acting)
                {
                    Directory.Delete(checkpoints, recursive: true);
                }

                freed += size;
                actions++;
            }

            if (actions == 0)
            {
                o.WriteLine("nothing to clean up.");
            }
            else if (acting)
            {
                o.WriteLine(a.Bold($"{actions} item(s) cleaned up, {Format.Bytes(freed)} freed."));
            }
            else
            {
                o.WriteLine(a.Bold($"dry run: {actions} item(s), {Format.Bytes(freed)} to free. Nothing was changed; run 'expkit gc --apply' to do it."));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // The ledger only lets an owner end an attempt, so gc takes the stale claim over (as a sweep would, attempt + 1)
    // and ends it at once as Interrupted; its checkpoints stay, so the next sweep resumes it.
    private static async Task MarkInterruptedAsync(IRunLedger ledger, RunRow row, CancellationToken ct)
    {
        var claim = await ledger.ClaimAsync(new RunClaimRequest
        {
            Key = row.Key,
            ParamsJson = row.ParamsJson,
            CanonicalJson = row.CanonicalJson,
            ComponentHashes = row.ComponentHashes,
            Owner = RunOwner.NewForCurrentProcess(),
            Lease = TimeSpan.FromMinutes(1),
            RunnerFingerprint = row.RunnerFingerprint,
        }, ct).ConfigureAwait(false);
        if (claim.Outcome == ClaimOutcome.Claimed)
        {
            await ledger.InterruptAsync(row.Key, claim.Row.Owner!.Token, new RunCompletion { Elapsed = row.Elapsed ?? TimeSpan.Zero, Error = $"expkit gc: the lease expired at {Format.Time(row.LeaseExpires)} without the owner ending the run." }, ct).ConfigureAwait(false);
        }
    }
}
