namespace ExperimentKit;

/// <summary>What a caller that wants to run a parameter set tells the ledger.</summary>
public sealed record RunClaimRequest
{
    /// <summary>The run key.</summary>
    public required RunKey Key { get; init; }

    /// <summary>Exact parameters JSON.</summary>
    public required string ParamsJson { get; init; }

    /// <summary>Canonical JSON; a row with the same key but other canonical JSON is a hash collision and an error.</summary>
    public required string CanonicalJson { get; init; }

    /// <summary>Component hashes.</summary>
    public required IReadOnlyDictionary<string, string> ComponentHashes { get; init; }

    /// <summary>The new owner (a fresh token per claim).</summary>
    public required RunOwner Owner { get; init; }

    /// <summary>How long the claim lasts without a heartbeat.</summary>
    public required TimeSpan Lease { get; init; }

    /// <summary>
    /// The result file's name inside the run folder (<c>result.json</c>); the ledger records it as
    /// <see cref="RunRow.ResultFile"/> = <c>{RelativeDirectory}/{name}</c>, since the folder depends on the uid it assigns.
    /// </summary>
    public string? ResultFileName { get; init; }

    /// <summary>The runner's code fingerprint, if known.</summary>
    public string? RunnerFingerprint { get; init; }

    /// <summary>Caller metadata (host, git commit, user key/values).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Take over a <see cref="RunStatus.Completed"/> row too (a forced re-run): a new attempt of the same key.</summary>
    public bool Force { get; init; }
}
