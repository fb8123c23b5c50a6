using System.CommandLine;

namespace ExperimentKit.Cli;

/// <summary>The options every command shares (one set per command tree).</summary>
internal sealed class CliOptions
{
    public Option<string?> Root { get; } = new("--root")
    {
        Description = "The results root (default: ExperimentKit:Root of ./appsettings.json, else ./results).",
        Recursive = true,
    };

    public Option<string?> Ledger { get; } = new("--ledger")
    {
        Description = "The ledger, if not {root}/ledger.db or the configured one: a SQLite ledger file, or a PostgreSQL connection string (Host=db;Database=experiments;Username=exk or postgres://exk@db/experiments).",
        Recursive = true,
    };

    public Option<string?> Schema { get; } = new("--schema")
    {
        Description = "The PostgreSQL schema of the ledger's tables (default: ExperimentKit:Postgres:Schema, else the search path, usually public).",
        Recursive = true,
    };

    public Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "No colours (also: NO_COLOR=1, or output that is not a terminal).",
        Recursive = true,
    };

    /// <summary>The optional positional ROOT of commands that read a whole root.</summary>
    public static Argument<string?> RootArgument() => new("ROOT")
    {
        Description = "The results root (the same as --root).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Option<string?> Experiment() => new("--experiment", "-e") { Description = "Only this experiment (e.g. quickstart/logreg)." };

    public static Option<bool> Json() => new("--json") { Description = "Write JSON instead of a table." };
}
