using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>
/// The embedded ledger: one SQLite file (<c>{root}/ledger.db</c>) in WAL mode, shared safely by many processes
/// on one machine. One instance holds one connection with prepared statements; it is thread-safe (calls are
/// serialised by a lock, as SQLite serialises writers anyway) and does its work synchronously, returning
/// completed tasks.
/// </summary>
/// <remarks>
/// The ledger clock is this machine's <see cref="DateTimeOffset.UtcNow"/>, stored in unix milliseconds: leases,
/// created, started, finished and last-used times all come from it (the PostgreSQL ledger uses the server's
/// clock instead). Every process sharing a file runs on this machine, so they share the clock.
/// </remarks>
public sealed partial class SqliteRunLedger : IRunLedger
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly SqliteLedgerStatements _statements;
    private readonly LedgerJson _json = new();
    private bool _disposed;

    private SqliteRunLedger(string path, SqliteConnection connection)
    {
        _path = path;
        _connection = connection;
        try
        {
            _statements = new SqliteLedgerStatements(connection);
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.AtOpen(path, e);
        }
    }

    /// <summary>The full path of the ledger file.</summary>
    public string DatabasePath => _path;

    /// <inheritdoc />
    public string Description => $"SQLite ledger {_path}";

    /// <summary>
    /// Opens the ledger at <paramref name="databasePath"/>; a missing or empty file becomes a new ledger, an
    /// older schema is migrated forward.
    /// </summary>
    /// <exception cref="LedgerOpenException">
    /// The file is damaged, not a SQLite database, another program's database, or from a newer ExperimentKit.
    /// It is left untouched; the message says what to do.
    /// </exception>
    public static Task<SqliteRunLedger> OpenAsync(string databasePath, ExperimentStoreOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ct.ThrowIfCancellationRequested();
        options ??= new ExperimentStoreOptions();
        if (options.BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"BusyTimeout is {options.BusyTimeout}; it must be zero or more.", nameof(options));
        }

        var path = Path.GetFullPath(databasePath);
        var connection = SqliteLedgerFile.Open(path, options);
        try
        {
            return Task.FromResult(new SqliteRunLedger(path, connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            _statements.Dispose();
            try
            {
                // Lets SQLite refresh its planner statistics where they are stale; cheap when nothing changed.
                using var optimize = _connection.CreateCommand();
                optimize.CommandText = "PRAGMA optimize";
                optimize.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Closing matters more than statistics.
            }

            _connection.Close();
            SqliteConnection.ClearPool(_connection);
            _connection.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The value of a pragma on this ledger's connection (for tests and diagnostics).</summary>
    internal object? ReadPragma(string name)
    {
        if (!name.All(c => char.IsAsciiLetter(c) || c == '_'))
        {
            throw new ArgumentException("A pragma name is letters and underscores.", nameof(name));
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA " + name;
            return command.ExecuteScalar();
        }
    }

    /// <summary>Now in the ledger clock, at the stored (millisecond) precision.</summary>
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>The ledger exception for a SQLite failure, or null to let the original through.</summary>
    private Exception? Map(SqliteException e) => SqliteErrors.InUse(_path, e);

    private void BeginWrite() => _statements.BeginWrite.Execute();

    private void Commit() => _statements.Commit.Execute();

    private void RollbackQuietly()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) != 0)
        {
            return;
        }

        try
        {
            _statements.Rollback.Execute();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (for example after an I/O error); nothing more to undo.
        }
    }

    /// <summary>The row of a key, or null.</summary>
    private RunRow? Select(RunKey key, out long id)
    {
        using var reader = SqliteLedgerStatements.BindKey(_statements.SelectByKey, key).Query();
        if (!reader.Read())
        {
            id = 0;
            return null;
        }

        return SqliteRunColumns.Read(reader, key.Experiment, out id);
    }

    /// <summary>A new uid of an experiment, inside the caller's write transaction (so the sequence has no gaps).</summary>
    private (long ExperimentId, long Uid) NextUid(string experiment)
    {
        using var reader = _statements.NextUid.Set(0, experiment).Query();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private void Insert(long experimentId, RunRow row)
    {
        var insert = _statements.Insert.Set(0, experimentId);
        SqliteRunColumns.Bind(insert, 1, row, _json);
        insert.Execute();
    }

    private void Update(long id, RunRow row)
    {
        var update = _statements.UpdateById;
        SqliteRunColumns.Bind(update, 0, row, _json);
        update.Set(SqliteRunColumns.Names.Length, id).Execute();
    }

    private static void Validate(RunKey key) => LedgerArguments.Key(key);

    private static void ValidateToken(string ownerToken) => LedgerArguments.OwnerToken(ownerToken);

    /// <summary>A snapshot of a caller's map (the row must not change when the caller's dictionary does).</summary>
    private static IReadOnlyDictionary<string, string> Copy(IReadOnlyDictionary<string, string>? map)
        => map is null || map.Count == 0 ? new Dictionary<string, string>() : new Dictionary<string, string>(map, StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string>? update)
    {
        if (update is null || update.Count == 0)
        {
            return current;
        }

        var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (k, v) in update)
        {
            merged[k] = v;
        }

        return merged;
    }

    /// <summary>The owner as stored (process start at millisecond precision).</summary>
    private static RunOwner Stored(RunOwner owner)
        => owner with { ProcessStart = SqliteRunColumns.Truncate(owner.ProcessStart) };
}
