namespace ExperimentKit.Cli;

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Nothing found (no such run, no ledger, no runs match), or <c>ledger check</c> found problems.</summary>
    public const int NotFound = 1;

    /// <summary>Bad arguments: unknown option, malformed value, ambiguous run reference.</summary>
    public const int BadArguments = 2;
}

/// <summary>An error that ends a command with a message for the user and an exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);

    public static CliException Bad(string message) => new(ExitCodes.BadArguments, message);
}
