namespace ExperimentKit;

/// <summary>What a finished attempt reports to the ledger.</summary>
public sealed record RunCompletion
{
    /// <summary>How long the attempt ran.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Summary metrics (completed runs).</summary>
    public IReadOnlyDictionary<string, double>? Summary { get; init; }

    /// <summary>Named artifacts: name → path relative to the root.</summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>Metadata to merge into the row.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The error text (failed runs).</summary>
    public string? Error { get; init; }
}
