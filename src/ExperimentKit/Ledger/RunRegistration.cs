namespace ExperimentKit;

/// <summary>A result produced elsewhere, to be indexed as a completed run.</summary>
public sealed record RunRegistration
{
    /// <summary>The run key.</summary>
    public required RunKey Key { get; init; }

    /// <summary>Exact parameters JSON.</summary>
    public required string ParamsJson { get; init; }

    /// <summary>Canonical JSON.</summary>
    public required string CanonicalJson { get; init; }

    /// <summary>Component hashes.</summary>
    public required IReadOnlyDictionary<string, string> ComponentHashes { get; init; }

    /// <summary>The result file as given (absolute, or relative to the root).</summary>
    public required string ResultFile { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
