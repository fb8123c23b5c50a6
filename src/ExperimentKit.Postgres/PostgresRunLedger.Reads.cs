using NpgsqlTypes;

namespace ExperimentKit.Postgres;

public sealed partial class PostgresRunLedger
{
    /// <summary>How many hashes one status query asks about (one <c>text[]</c> parameter).</summary>
    internal const int StatusChunk = 10_000;

    /// <inheritdoc />
    public Task<RunRow?> GetAsync(RunKey key, CancellationToken cancellationToken = default)
    {
        Validate(key);
        return WithRetryAsync("get", (connection, _, ct) => SelectAsync(connection, key, forUpdate: false, ct), cancellationToken);
    }

    private const string StatusSql = """
        SELECT r.hash, r.status, r.attempt, r.runner_fingerprint
        FROM (SELECT exp_id FROM experiments WHERE name = @e) e
        CROSS JOIN unnest(@hs) AS k(hash)
        CROSS JOIN LATERAL (SELECT hash, status, attempt, runner_fingerprint FROM runs
                            WHERE experiment_id = e.exp_id AND version = @v AND hash = k.hash LIMIT 1) r
        """;

    /// <inheritdoc />
    /// <remarks>One query per <see cref="StatusChunk"/> hashes (<c>hash = ANY(@hashes)</c>); more than one chunk read in one repeatable-read snapshot.</remarks>
    public async Task<IReadOnlyDictionary<string, RunStatusInfo>> GetStatusesAsync(string experiment, int version, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        ArgumentNullException.ThrowIfNull(hashes);
        var result = new Dictionary<string, RunStatusInfo>(Math.Min(hashes.Count, 1024), StringComparer.Ordinal);
        if (hashes.Count == 0)
        {
            return result;
        }

        foreach (var hash in hashes)
        {
            ArgumentNullException.ThrowIfNull(hash, nameof(hashes));
        }

        var chunks = hashes.Chunk(StatusChunk).ToList();
        return await WithRetryAsync("statuses", async (connection, _, ct) =>
        {
            result.Clear();
            await using var transaction = chunks.Count > 1
                ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false)
                : null;
            foreach (var chunk in chunks)
            {
                // One unique-index lookup per hash, whatever the table's statistics say. The plain form
                // (hash = ANY(@hs)), prepared while a new table's statistics were empty, kept a generic plan that
                // scanned every run of the experiment and filtered on the hashes.
                await using var command = Command(
                    connection,
                    StatusSql,
                    ("e", experiment, NpgsqlDbType.Text),
                    ("v", version, NpgsqlDbType.Integer),
                    ("hs", chunk, NpgsqlDbType.Array | NpgsqlDbType.Text));
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    result[reader.GetString(0)] = new RunStatusInfo((RunStatus)reader.GetInt16(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                }
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }

            return (IReadOnlyDictionary<string, RunStatusInfo>)result;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A <c>where</c> on a leaf is a containment test on the flat fields (<c>params_flat @> {"Model.Layers": 4}</c>),
    /// answered from the GIN index; see <see cref="PostgresRunQuery"/>.
    /// </remarks>
    public async Task<IReadOnlyList<RunRow>> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var built = PostgresRunQuery.Build(query);
        if (built is null)
        {
            return [];
        }

        return await WithRetryAsync("list", async (connection, _, ct) =>
        {
            await using var command = Command(connection, built.Value.Sql, built.Value.Parameters);
            return (IReadOnlyList<RunRow>)await RowsAsync(command, null, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
