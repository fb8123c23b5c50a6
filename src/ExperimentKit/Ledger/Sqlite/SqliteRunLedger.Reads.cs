using Microsoft.Data.Sqlite;

namespace ExperimentKit;

public sealed partial class SqliteRunLedger
{
    private static readonly Task<RunRow?> NoRow = Task.FromResult<RunRow?>(null);

    /// <inheritdoc />
    public Task<RunRow?> GetAsync(RunKey key, CancellationToken cancellationToken = default)
    {
        Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                var row = Select(key, out _);
                return row is null ? NoRow : Task.FromResult<RunRow?>(row);
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>One read transaction (one snapshot); one query per <see cref="SqliteLedgerStatements.StatusChunk"/> hashes.</remarks>
    public Task<IReadOnlyDictionary<string, RunStatusInfo>> GetStatusesAsync(string experiment, int version, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        ArgumentNullException.ThrowIfNull(hashes);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new Dictionary<string, RunStatusInfo>(Math.Min(hashes.Count, 1024), StringComparer.Ordinal);
        if (hashes.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, RunStatusInfo>>(result);
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                var statement = _statements.Statuses.Set(0, experiment).Set(1, version);
                _statements.BeginRead.Execute();
                try
                {
                    var n = 0;
                    _json.BeginArray();
                    foreach (var hash in hashes)
                    {
                        ArgumentNullException.ThrowIfNull(hash, nameof(hashes));
                        _json.AddToArray(hash);
                        if (++n == SqliteLedgerStatements.StatusChunk)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            ReadStatuses(statement.Set(2, _json.EndArray()), result);
                            _json.BeginArray();
                            n = 0;
                        }
                    }

                    if (n > 0)
                    {
                        ReadStatuses(statement.Set(2, _json.EndArray()), result);
                    }

                    Commit();
                }
                catch
                {
                    RollbackQuietly();
                    throw;
                }
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, RunStatusInfo>>(result);
    }

    /// <inheritdoc />
    /// <remarks>See <see cref="SqliteRunQuery"/> for how <see cref="RunQuery.Where"/> maps to JSON paths.</remarks>
    public Task<IReadOnlyList<RunRow>> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var rows = new List<RunRow>();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                using var command = SqliteRunQuery.Build(_connection, query);
                if (command is not null)
                {
                    using var reader = command.ExecuteReader();
                    var experimentOrdinal = SqliteRunColumns.NextOrdinal;
                    while (reader.Read())
                    {
                        rows.Add(SqliteRunColumns.Read(reader, reader.GetString(experimentOrdinal), out _));
                    }
                }
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }

        return Task.FromResult<IReadOnlyList<RunRow>>(rows);
    }

    private static void ReadStatuses(SqliteStatement statement, Dictionary<string, RunStatusInfo> result)
    {
        using var reader = statement.Query();
        while (reader.Read())
        {
            result[reader.GetString(0)] = new RunStatusInfo((RunStatus)reader.GetInt32(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }
}
