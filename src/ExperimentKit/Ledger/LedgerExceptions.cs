namespace ExperimentKit;

/// <summary>Two different parameter sets with one run key: the canonical JSON differs though the hash is equal.</summary>
public sealed class HashCollisionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HashCollisionException(RunKey key, string recordedCanonicalJson, string newCanonicalJson)
        : base($"Run {key} is already recorded with other parameters: recorded {recordedCanonicalJson}, new {newCanonicalJson}. "
            + "Two parameter sets share a 64-bit params hash; bump the experiment Version or change a parameter. Nothing was overwritten.")
    {
        Key = key;
        RecordedCanonicalJson = recordedCanonicalJson;
        NewCanonicalJson = newCanonicalJson;
    }

    /// <summary>The key.</summary>
    public RunKey Key { get; }

    /// <summary>The canonical JSON in the ledger.</summary>
    public string RecordedCanonicalJson { get; }

    /// <summary>The canonical JSON that was refused.</summary>
    public string NewCanonicalJson { get; }
}

/// <summary>A write to a run whose claim the caller no longer owns (its lease expired and another owner took over, or the row was deleted).</summary>
public sealed class ClaimLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClaimLostException(RunKey key)
        : base($"Run {key} is no longer owned by this process: its lease expired and another owner took it over, or it was deleted. This result was not recorded.")
        => Key = key;

    /// <summary>The key.</summary>
    public RunKey Key { get; }
}

/// <summary>A ledger that cannot be opened: corrupt, not a ledger, or from a newer ExperimentKit.</summary>
public sealed class LedgerOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerOpenException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// A ledger found damaged while in use (for SQLite: <c>SQLITE_CORRUPT</c> or <c>SQLITE_NOTADB</c>). Nothing was
/// written by the failing call; stop the processes that use the ledger, then restore it from a backup or move it away.
/// </summary>
public sealed class LedgerCorruptException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerCorruptException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The ledger stayed locked by another process for longer than <see cref="ExperimentStoreOptions.BusyTimeout"/>.
/// Nothing was written by the failing call; it can be retried.
/// </summary>
public sealed class LedgerBusyException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public LedgerBusyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
