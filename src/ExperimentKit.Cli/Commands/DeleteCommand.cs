using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit delete RUN [--files]</c>: removes a run's ledger row, and with <c>--files</c> its folder.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var run = new Argument<string>("RUN") { Description = "experiment:uid, a uid (with --experiment), or a hash prefix." };
        var experiment = CliOptions.Experiment();
        var files = new Option<bool>("--files") { Description = "Also delete the run's folder (params, metrics, checkpoints, files)." };
        var force = new Option<bool>("--force") { Description = "Delete even a Running run whose lease is live." };
        var command = new Command("delete", "Delete a run from the ledger (its uid is never reused); --files also deletes its folder.");
        command.Arguments.Add(run);
        command.Options.Add(experiment);
        command.Options.Add(files);
        command.Options.Add(force);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var root = context.Root();
            await using var ledger = await context.OpenLedgerAsync(root, ct: ct).ConfigureAwait(false);
            var row = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(run)!, context.Parse.GetValue(experiment), ct).ConfigureAwait(false);
            if (row.Status == RunStatus.Running && row.LeaseExpires > DateTimeOffset.UtcNow && !context.Parse.GetValue(force))
            {
                throw CliException.Bad($"Run {Format.RunName(row)} is Running (lease until {Format.Time(row.LeaseExpires)}); stop its worker first, or pass --force.");
            }

            await ledger.DeleteAsync(row.Key, ct).ConfigureAwait(false);
            var folder = RunPaths.Directory(root, row);
            if (context.Parse.GetValue(files) && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
                await context.Out.WriteLineAsync($"deleted {Format.RunName(row)} ({row.Key.Hash}) and its folder {row.RelativeDirectory}").ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"deleted {Format.RunName(row)} ({row.Key.Hash}) from the ledger{(Directory.Exists(folder) ? $"; its folder {row.RelativeDirectory} is kept ('expkit gc --apply' removes folders without a row)" : string.Empty)}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
