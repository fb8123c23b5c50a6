using System.CommandLine;

namespace ExperimentKit.Cli.Commands;

/// <summary>
/// <c>expkit submit EXPERIMENT Member=v1,v2 ...</c>: queues a sweep for a service-mode worker. Without the
/// experiment's assembly the values cannot be type-checked here (the worker checks them when it takes the
/// submission); the member paths are checked against the experiment's recorded runs when it has any.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var experiment = new Argument<string>("EXPERIMENT") { Description = "The experiment name." };
        var assignments = new Argument<string[]>("ASSIGNMENTS") { Description = "Member=v1,v2 axes, as on the worker's command line (Epochs=range(10,50,10)).", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force") { Description = "Queue even if a member is not a field of any recorded run." };
        var command = new Command("submit", "Queue a sweep (Member=v1,v2 ...) for a running service-mode worker.");
        command.Arguments.Add(experiment);
        command.Arguments.Add(assignments);
        command.Options.Add(force);
        ExpkitCli.SetHandler(command, console, options, async (context, ct) =>
        {
            var name = context.Parse.GetValue(experiment)!.Trim();
            var list = context.Parse.GetValue(assignments)!.ToList();
            foreach (var assignment in list)
            {
                var eq = assignment.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == assignment.Length - 1)
                {
                    throw CliException.Bad($"'{assignment}' is not Member=v1,v2 (e.g. LearningRate=0.1,1 or 'Data.Seed=range(1,6)').");
                }
            }

            await using var ledger = await context.OpenLedgerAsync(context.Root(), create: true, ct: ct).ConfigureAwait(false);
            var rows = await ledger.ListAsync(new RunQuery { Experiment = name, OrderBy = RunOrder.Created, Descending = true, Limit = 50 }, ct).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                await context.Error.WriteLineAsync($"expkit: warning: experiment '{name}' has no recorded runs; the worker checks the assignments when it takes the sweep.").ConfigureAwait(false);
            }
            else if (!context.Parse.GetValue(force))
            {
                var known = rows.SelectMany(static r => FlatParams.Of(r).Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var assignment in list)
                {
                    var path = assignment[..assignment.IndexOf('=', StringComparison.Ordinal)].Trim();
                    if (!known.Contains(path))
                    {
                        throw CliException.Bad($"No recorded run of '{name}' has a field '{path}' (fields: {string.Join(", ", known.Order(StringComparer.Ordinal))}). Fix the name, or pass --force for a member added since.");
                    }
                }
            }

            var submission = await ledger.SubmitAsync(name, list, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"queued #{submission.Id}: {name} {string.Join(' ', list)}").ConfigureAwait(false);
            await context.Out.WriteLineAsync("A service-mode worker (StopWhenDone=false) of this experiment on this root takes it; 'expkit queue' shows its progress.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
