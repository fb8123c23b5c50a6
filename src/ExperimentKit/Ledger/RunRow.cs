namespace ExperimentKit;

/// <summary>
/// One run as the ledger records it: identity, state, ownership, times, the parameters in three forms and
/// what the run produced. Untyped, so tools can read any ledger without the user's assemblies.
/// </summary>
public sealed record RunRow
{
    /// <summary>Experiment, version and params hash.</summary>
    public required RunKey Key { get; init; }

    /// <summary>The per-experiment sequence number (1, 2, 3, ...), shown zero-padded (<c>0007</c>).</summary>
    public required long Uid { get; init; }

    /// <summary>The current state.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>How many times the run has been claimed (1 for the first run, and for a result indexed by <see cref="IRunLedger.RegisterAsync"/>).</summary>
    public required int Attempt { get; init; }

    /// <summary>The owner of a <see cref="RunStatus.Running"/> claim, else the last owner or null.</summary>
    public RunOwner? Owner { get; init; }

    /// <summary>When the owner's lease ends, in the ledger's clock (UTC).</summary>
    public DateTimeOffset? LeaseExpires { get; init; }

    /// <summary>When the row was first written.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When the run completed, failed or was interrupted last.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>When the run was last retrieved or run (coalesced: at most one write a minute).</summary>
    public required DateTimeOffset LastUsed { get; init; }

    /// <summary>How long the latest attempt ran.</summary>
    public TimeSpan? Elapsed { get; init; }

    /// <summary>The exact parameters JSON (round-trips to the record, doubles bit for bit).</summary>
    public required string ParamsJson { get; init; }

    /// <summary>The canonical JSON the hash was computed from (canonical hash v1).</summary>
    public required string CanonicalJson { get; init; }

    /// <summary>The 8-hex hash of each component.</summary>
    public IReadOnlyDictionary<string, string> ComponentHashes { get; init; } = EmptyStrings;

    /// <summary>The main result file, relative to the root (<c>train/0007-1a2b.../result.json</c>), if any.</summary>
    public string? ResultFile { get; init; }

    /// <summary>Named artifacts: name → path relative to the root.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = EmptyStrings;

    /// <summary>Summary metrics stored at completion.</summary>
    public IReadOnlyDictionary<string, double> Summary { get; init; } = EmptyNumbers;

    /// <summary>Host, git commit, dirty flag and the caller's own key/values.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyStrings;

    /// <summary>The error text of a failed attempt.</summary>
    public string? Error { get; init; }

    /// <summary>The hash of the runner code that produced the run, if known.</summary>
    public string? RunnerFingerprint { get; init; }

    /// <summary>A free-text note.</summary>
    public string? Note { get; init; }

    /// <summary>Tags, sorted.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The run's folder relative to the root: <c>{experiment}/{uid:D4}-{hash}</c>.</summary>
    public string RelativeDirectory => RunPaths.RelativeDirectory(Key.Experiment, Uid, Key.Hash);

    private static readonly IReadOnlyDictionary<string, string> EmptyStrings = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, double> EmptyNumbers = new Dictionary<string, double>();
}
