using System.CommandLine;

namespace ExperimentKit.Cli;

/// <summary>What a running command needs: the console, colours and where the results are.</summary>
internal sealed class CliContext(CliConsole console, CliOptions options, ParseResult parse)
{
    public CliConsole Console { get; } = console;

    public ParseResult Parse { get; } = parse;

    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public Ansi Ansi { get; } = new(console.OutIsTerminal && !console.NoColor && !parse.GetValue(options.NoColor));

    /// <summary>The settings shared with the workers (environment, then <c>./appsettings.json</c>).</summary>
    public CliSettings Settings { get; } = new(console);

    /// <summary>
    /// The results root: the positional ROOT, else <c>--root</c>, else <c>ExperimentKit:Root</c> of
    /// <c>./appsettings.json</c>, else <c>./results</c>.
    /// </summary>
    public string Root(Argument<string?>? positional = null)
    {
        var given = (positional is null ? null : Parse.GetValue(positional)) ?? Parse.GetValue(options.Root);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Path.GetFullPath(given, Console.CurrentDirectory);
        }

        if (Settings.FromJson("ExperimentKit:Root") is { } configured)
        {
            return Path.GetFullPath(configured, Console.CurrentDirectory);
        }

        return Path.GetFullPath("results", Console.CurrentDirectory);
    }

    /// <summary>The ledger given with <c>--ledger</c>, or null for the root's own.</summary>
    public string? LedgerArgument => Parse.GetValue(options.Ledger);

    /// <summary>Which ledger the command uses (SQLite file or PostgreSQL database); see <see cref="LedgerAccess"/>.</summary>
    public LedgerTarget Ledger(string root)
        => LedgerAccess.Resolve(root, LedgerArgument, Parse.GetValue(options.Schema), Settings, Console.CurrentDirectory);

    /// <summary>Opens the ledger of <paramref name="root"/> (or the one given with <c>--ledger</c> or configured); see <see cref="LedgerAccess"/>.</summary>
    public Task<IRunLedger> OpenLedgerAsync(string root, bool create = false, CancellationToken ct = default)
        => LedgerAccess.OpenAsync(Ledger(root), create, ct);
}
