using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary><c>expkit tag RUN name...</c>: adds (or with <c>--remove</c> removes) tags.</summary>
internal static class TagCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var run = new Argument<string>("RUN") { Description = "experiment:uid, a uid (with --experiment), or a hash prefix." };
        var names = new Argument<string[]>("TAG") { Description = "Tags (a word each: baseline, best).", Arity = ArgumentArity.OneOrMore };
        var experiment = CliOptions.Experiment();
        var remove = new Option<bool>("--remove") { Description = "Remove these tags instead." };
        var command = new Command("tag", "Add tags to a run ('expkit runs --tag NAME' lists tagged runs).");
        command.Arguments.Add(run);
        command.Arguments.Add(names);
        command.Options.Add(experiment);
        command.Options.Add(remove);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var tags = context.Parse.GetValue(names)!;
            foreach (var tag in tags)
            {
                if (string.IsNullOrWhiteSpace(tag) || tag.Trim() != tag)
                {
                    throw CliException.Bad($"The tag '{tag}' is empty or has white space at its ends; use a word such as 'baseline'.");
                }
            }

            await using var ledger = await context.OpenLedgerAsync(context.Root(), ct: ct).ConfigureAwait(false);
            var row = await RunResolver.ResolveAsync(ledger, context.Parse.GetValue(run)!, context.Parse.GetValue(experiment), ct).ConfigureAwait(false);
            var annotation = context.Parse.GetValue(remove) ? new RunAnnotation { RemoveTags = tags } : new RunAnnotation { AddTags = tags };
            var updated = await ledger.AnnotateAsync(row.Key, annotation, ct).ConfigureAwait(false)
                ?? throw CliException.NotFound($"Run {Format.RunName(row)} was deleted meanwhile.");
            await context.Out.WriteLineAsync($"{Format.RunName(updated)}: tags {(updated.Tags.Count == 0 ? "(none)" : string.Join(", ", updated.Tags))}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
