using System.CommandLine;
using ExperimentKit.Cli.Commands;

namespace ExperimentKit.Cli;

/// <summary>The <c>expkit</c> command line: the tool's entry point, callable in-process (tests pass captured writers).</summary>
public static class ExpkitCli
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (0 ok, 1 nothing found, 2 bad arguments).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var options = new CliOptions();
        var root = Build(console, options);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"expkit: {error.Message}").ConfigureAwait(false);
            }

            var command = string.Join(' ', parse.CommandResult.Command == root ? [] : CommandPath(parse.CommandResult.Command));
            await console.Error.WriteLineAsync($"Run 'expkit {(command.Length == 0 ? string.Empty : command + " ")}--help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }

        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await console.Error.WriteLineAsync($"expkit: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is LedgerCorruptException or LedgerBusyException or LedgerOpenException)
        {
            await console.Error.WriteLineAsync($"expkit: {e.Message}").ConfigureAwait(false);
            return ExitCodes.NotFound;
        }
        catch (System.Data.Common.DbException e)
        {
            // A database error after the ledger opened (a PostgreSQL server that went away for longer than the retries).
            await console.Error.WriteLineAsync($"expkit: the ledger failed: {e.Message}").ConfigureAwait(false);
            return ExitCodes.NotFound;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("expkit: cancelled.").ConfigureAwait(false);
            return 130;
        }
    }

    private static RootCommand Build(CliConsole console, CliOptions options)
    {
        var root = new RootCommand("expkit: browse, compare, explain, export and maintain ExperimentKit results. Reads the ledger and run folders alone, without the experiment's assemblies.");
        root.Options.Add(options.Root);
        root.Options.Add(options.Ledger);
        root.Options.Add(options.Schema);
        root.Options.Add(options.NoColor);
        root.Subcommands.Add(RunsCommand.Create(console, options));
        root.Subcommands.Add(ShowCommand.Create(console, options));
        root.Subcommands.Add(DiffCommand.Create(console, options));
        root.Subcommands.Add(WhyCommand.Create(console, options));
        root.Subcommands.Add(MetricsCommand.Create(console, options));
        root.Subcommands.Add(ExportCommand.Create(console, options));
        root.Subcommands.Add(ReportCommand.Create(console, options));
        root.Subcommands.Add(SubmitCommand.Create(console, options));
        root.Subcommands.Add(QueueCommand.Create(console, options));
        root.Subcommands.Add(NoteCommand.Create(console, options));
        root.Subcommands.Add(TagCommand.Create(console, options));
        root.Subcommands.Add(DeleteCommand.Create(console, options));
        root.Subcommands.Add(GcCommand.Create(console, options));
        root.Subcommands.Add(LedgerCommand.Create(console, options));
        return root;
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && s is not RootCommand; s = c.Parents.FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return names;
    }

    /// <summary>Wraps a command body: builds its context and turns <see cref="CliException"/> into an exit code.</summary>
    internal static void SetHandler(Command command, CliConsole console, CliOptions options, Func<CliContext, CancellationToken, Task<int>> body)
        => command.SetAction((parse, ct) => body(new CliContext(console, options, parse), ct));
}
