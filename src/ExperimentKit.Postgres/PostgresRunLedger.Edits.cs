using NpgsqlTypes;

namespace ExperimentKit.Postgres;

public sealed partial class PostgresRunLedger
{
    /// <inheritdoc />
    /// <remarks>The uid of a deleted run is never given out again (the counter only grows). A claim holder of a deleted run gets <see cref="ClaimLostException"/>.</remarks>
    public Task<bool> DeleteAsync(RunKey key, CancellationToken cancellationToken = default)
    {
        Validate(key);
        return WithRetryAsync(
            "delete",
            async (connection, _, ct) => await ExecuteAsync(connection, $"DELETE FROM runs r WHERE {ByKey}", ct, KeyParameters(key)).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement for all keys (three arrays unnested, each key found by its unique index whatever the table's
    /// statistics say: a plain join, planned while a new table's statistics were empty, scanned the table once per
    /// key); unknown keys are skipped.
    /// </remarks>
    public Task TouchAsync(IReadOnlyCollection<RunKey> keys, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            Validate(key);
        }

        if (keys.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Sorted, so two touches of overlapping runs lock them in one order and cannot deadlock.
        var sorted = keys.Distinct().OrderBy(k => k.Experiment, StringComparer.Ordinal).ThenBy(k => k.Version).ThenBy(k => k.Hash, StringComparer.Ordinal).ToArray();
        return WithRetryAsync(
            "touch",
            (connection, _, ct) => ExecuteAsync(
                connection,
                """
                UPDATE runs r SET last_used = @t
                FROM (SELECT x.id
                      FROM unnest(@names, @versions, @hashes) AS k(name, version, hash)
                      JOIN experiments e ON e.name = k.name
                      CROSS JOIN LATERAL (SELECT id FROM runs WHERE experiment_id = e.exp_id AND version = k.version AND hash = k.hash LIMIT 1) x) t
                WHERE r.id = t.id
                """,
                ct,
                ("t", usedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                ("names", sorted.Select(k => k.Experiment).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                ("versions", sorted.Select(k => k.Version).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
                ("hashes", sorted.Select(k => k.Hash).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)),
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Tags are kept sorted (ordinal) and distinct; the row is locked while they are merged.</remarks>
    public Task<RunRow?> AnnotateAsync(RunKey key, RunAnnotation annotation, CancellationToken cancellationToken = default)
    {
        Validate(key);
        ArgumentNullException.ThrowIfNull(annotation);
        ValidateTags(annotation.AddTags, nameof(RunAnnotation.AddTags));
        ValidateTags(annotation.RemoveTags, nameof(RunAnnotation.RemoveTags));
        return WithRetryAsync("annotate", async (connection, _, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var existing = await SelectAsync(connection, key, forUpdate: true, ct).ConfigureAwait(false);
            if (existing is null)
            {
                return null;
            }

            var tags = new SortedSet<string>(existing.Tags, StringComparer.Ordinal);
            tags.UnionWith(annotation.AddTags ?? []);
            tags.ExceptWith(annotation.RemoveTags ?? []);
            await using var update = Command(
                connection,
                $"UPDATE runs r SET note = @n, tags = @tags WHERE {ByKey} RETURNING {PostgresRunColumns.Select}",
                KeyParameters(key, ("n", annotation.SetNote ? annotation.Note : existing.Note, NpgsqlDbType.Text), ("tags", new LedgerJson().Tags(tags), NpgsqlDbType.Jsonb)));
            var row = (await RowsAsync(update, key.Experiment, ct).ConfigureAwait(false)).Single();
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (RunRow?)row;
        }, cancellationToken);
    }

    private static void ValidateTags(IReadOnlyCollection<string>? tags, string name) => LedgerArguments.Tags(tags, name);
}
