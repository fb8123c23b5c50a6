using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>
/// The columns of a <c>runs</c> row in one fixed order, shared by every SELECT, INSERT and full UPDATE, with
/// the code that binds a <see cref="RunRow"/> to them and reads it back.
/// </summary>
internal static class SqliteRunColumns
{
    /// <summary>The row columns after <c>id</c> and <c>experiment_id</c>, in bind and read order.</summary>
    public static readonly string[] Names =
    [
        "version", "hash", "uid", "status", "attempt",
        "owner_host", "owner_pid", "owner_start_ms", "owner_token", "lease_expires_ms",
        "created_ms", "started_ms", "finished_ms", "last_used_ms", "elapsed_ms",
        "params_json", "canonical_json", "component_hashes", "result_file", "files", "summary", "metadata",
        "error", "runner_fingerprint", "note", "tags",
    ];

    /// <summary><c>id, version, hash, ...</c>: what every row query selects (the reader expects this order).</summary>
    public static readonly string Select = "id, " + string.Join(", ", Names);

    /// <summary>The ordinal of the column after the row columns (a joined experiment name, when selected).</summary>
    public static readonly int NextOrdinal = Names.Length + 1;

    /// <summary>The parameter names <c>$c0 ...</c> of the row columns.</summary>
    public static readonly string[] Parameters = Names.Select((_, i) => "$c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Binds every row column, starting at parameter <paramref name="first"/>.</summary>
    public static void Bind(SqliteStatement statement, int first, RunRow row, LedgerJson json)
    {
        var i = first;
        statement.Set(i++, row.Key.Version);
        statement.Set(i++, row.Key.Hash);
        statement.Set(i++, row.Uid);
        statement.Set(i++, (long)row.Status);
        statement.Set(i++, row.Attempt);
        statement.Set(i++, row.Owner?.Host);
        statement.Set(i++, row.Owner is null ? null : row.Owner.ProcessId);
        statement.Set(i++, row.Owner is null ? null : Ms(row.Owner.ProcessStart));
        statement.Set(i++, row.Owner?.Token);
        statement.Set(i++, Ms(row.LeaseExpires));
        statement.Set(i++, Ms(row.Created));
        statement.Set(i++, Ms(row.Started));
        statement.Set(i++, Ms(row.Finished));
        statement.Set(i++, Ms(row.LastUsed));
        statement.Set(i++, ElapsedMs(row.Elapsed));
        statement.Set(i++, row.ParamsJson);
        statement.Set(i++, row.CanonicalJson);
        statement.Set(i++, json.StringMap(row.ComponentHashes));
        statement.Set(i++, row.ResultFile);
        statement.Set(i++, json.StringMap(row.Files));
        statement.Set(i++, json.NumberMap(row.Summary));
        statement.Set(i++, json.StringMap(row.Metadata));
        statement.Set(i++, row.Error);
        statement.Set(i++, row.RunnerFingerprint);
        statement.Set(i++, row.Note);
        statement.Set(i, json.Tags(row.Tags));
    }

    /// <summary>Reads the row at the reader's position (selected with <see cref="Select"/>).</summary>
    public static RunRow Read(SqliteDataReader r, string experiment, out long id)
    {
        id = r.GetInt64(0);
        var ownerToken = Text(r, 9);
        return new RunRow
        {
            Key = new RunKey(experiment, r.GetInt32(1), r.GetString(2)),
            Uid = r.GetInt64(3),
            Status = (RunStatus)r.GetInt32(4),
            Attempt = r.GetInt32(5),
            Owner = ownerToken is null
                ? null
                : new RunOwner(Text(r, 6) ?? string.Empty, r.IsDBNull(7) ? 0 : r.GetInt32(7), Time(r, 8) ?? DateTimeOffset.UnixEpoch, ownerToken),
            LeaseExpires = Time(r, 10),
            Created = Time(r, 11)!.Value,
            Started = Time(r, 12),
            Finished = Time(r, 13),
            LastUsed = Time(r, 14)!.Value,
            Elapsed = r.IsDBNull(15) ? null : TimeSpan.FromMilliseconds(r.GetInt64(15)),
            ParamsJson = r.GetString(16),
            CanonicalJson = r.GetString(17),
            ComponentHashes = LedgerJson.ReadStringMap(Text(r, 18)),
            ResultFile = Text(r, 19),
            Files = LedgerJson.ReadStringMap(Text(r, 20)),
            Summary = LedgerJson.ReadNumberMap(Text(r, 21)),
            Metadata = LedgerJson.ReadStringMap(Text(r, 22)),
            Error = Text(r, 23),
            RunnerFingerprint = Text(r, 24),
            Note = Text(r, 25),
            Tags = LedgerJson.ReadTags(Text(r, 26)),
        };
    }

    /// <summary>Unix milliseconds of a time.</summary>
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Unix milliseconds of an optional time.</summary>
    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    /// <summary>A time at millisecond precision, as the ledger stores it.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    /// <summary>Whole milliseconds of a duration, as the ledger stores it.</summary>
    public static long? ElapsedMs(TimeSpan? elapsed) => elapsed is { } e ? (long)Math.Round(e.TotalMilliseconds, MidpointRounding.AwayFromZero) : null;

    private static string? Text(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? Time(SqliteDataReader r, int ordinal)
        => r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
