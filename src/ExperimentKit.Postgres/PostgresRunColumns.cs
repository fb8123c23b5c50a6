using Npgsql;

namespace ExperimentKit.Postgres;

/// <summary>The columns every row query selects, in one fixed order, and the code that reads them into a <see cref="RunRow"/>.</summary>
internal static class PostgresRunColumns
{
    /// <summary>What every row query selects from <c>runs</c> (aliased <c>r</c>); the reader expects this order.</summary>
    public const string Select =
        "r.id, r.version, r.hash, r.uid, r.status, r.attempt, r.claimed_from, r.owner_host, r.owner_pid, r.owner_start, r.owner_token, "
        + "r.lease_expires, r.created, r.started, r.finished, r.last_used, r.elapsed_ms, r.params_json, r.canonical_json, "
        + "r.component_hashes::text, r.result_file, r.files::text, r.summary, r.metadata::text, r.error, r.runner_fingerprint, r.note, r.tags::text";

    /// <summary>The ordinal of the first column after <see cref="Select"/> (a joined experiment name, when selected).</summary>
    public const int NextOrdinal = 28;

    /// <summary>Reads the row at the reader's position.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="experiment">The experiment name (the key's first part).</param>
    /// <param name="claimedFrom">The status the latest claim took the row from (null for a new row).</param>
    public static RunRow Read(NpgsqlDataReader r, string experiment, out RunStatus? claimedFrom)
    {
        claimedFrom = r.IsDBNull(6) ? null : (RunStatus)r.GetInt16(6);
        var ownerToken = Text(r, 10);
        return new RunRow
        {
            Key = new RunKey(experiment, r.GetInt32(1), r.GetString(2)),
            Uid = r.GetInt64(3),
            Status = (RunStatus)r.GetInt16(4),
            Attempt = r.GetInt32(5),
            Owner = ownerToken is null
                ? null
                : new RunOwner(Text(r, 7) ?? string.Empty, r.IsDBNull(8) ? 0 : r.GetInt32(8), Time(r, 9) ?? DateTimeOffset.UnixEpoch, ownerToken),
            LeaseExpires = Time(r, 11),
            Created = Time(r, 12)!.Value,
            Started = Time(r, 13),
            Finished = Time(r, 14),
            LastUsed = Time(r, 15)!.Value,
            Elapsed = r.IsDBNull(16) ? null : TimeSpan.FromMilliseconds(r.GetInt64(16)),
            ParamsJson = r.GetString(17),
            CanonicalJson = r.GetString(18),
            ComponentHashes = LedgerJson.ReadStringMap(Text(r, 19)),
            ResultFile = Text(r, 20),
            Files = LedgerJson.ReadStringMap(Text(r, 21)),
            Summary = LedgerJson.ReadNumberMap(Text(r, 22)),
            Metadata = LedgerJson.ReadStringMap(Text(r, 23)),
            Error = Text(r, 24),
            RunnerFingerprint = Text(r, 25),
            Note = Text(r, 26),
            Tags = LedgerJson.ReadTags(Text(r, 27)),
        };
    }

    /// <summary>Whole milliseconds of a duration, as the ledger stores it.</summary>
    public static long? ElapsedMs(TimeSpan? elapsed) => elapsed is { } e ? (long)Math.Round(e.TotalMilliseconds, MidpointRounding.AwayFromZero) : null;

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader r, int ordinal)
        => r.IsDBNull(ordinal) ? null : r.GetFieldValue<DateTimeOffset>(ordinal);
}
