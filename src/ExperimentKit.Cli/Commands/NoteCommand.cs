using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit note RUN "text"</c>: sets (or with <c>--clear</c> clears) a run's note.</summary>
internal static class NoteCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var run = new Argument<string>("RUN") { Description = "experiment:uid, a uid (with --experiment), or a hash prefix." };
        var text = new Argument<string?>("TEXT") { Description = "The note.", Arity = ArgumentArity.ZeroOrOne };
        var experiment = CliOptions.Experiment();
        var clear = new Option<bool>("--clear") { Description = "Remove the note." };
        var command = new Command("note", "Set a run's note (replaces the current one).");
        command.Arguments.Add(run);
        command.Arguments.Add(text);
        command.Options.Add(experiment);
        command.Options.Add(clear);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var note = context.Parse.GetValue(text);
            var clearing = context.Parse.GetValue(clear);
            if (note is null == !clearing)
            {
                throw CliException.Bad("Give the note text, or --clear to remove the note (not both).");
            }

            await using var ledger = await context.OpenLedgerAsync(context.Root(), ct: ct).ConfigureAwait(false);
            var row = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(run)!, context.Parse.GetValue(experiment), ct).ConfigureAwait(false);
            var updated = await ledger.AnnotateAsync(row.Key, new RunAnnotation { SetNote = true, Note = note }, ct).ConfigureAwait(false)
                ?? throw CliException.NotFound($"Run {Format.RunName(row)} was deleted meanwhile.");
            await context.Out.WriteLineAsync(clearing ? $"{Format.RunName(updated)}: note cleared" : $"{Format.RunName(updated)}: note set").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
