using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>
/// Opens a ledger file: checks, before anything is written, that it is empty or an ExperimentKit ledger this
/// code can read; then sets the pragmas and applies pending migrations, each in its own transaction.
/// A file that is damaged, not SQLite, another program's database or from a newer ExperimentKit is refused
/// with a <see cref="LedgerOpenException"/> and never re-created or overwritten.
/// </summary>
internal static class SqliteLedgerFile
{
    /// <summary>Opens (creating if missing or empty) the ledger at <paramref name="path"/> (a full path).</summary>
    public static SqliteConnection Open(string path, ExperimentStoreOptions options)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,

            // One long-lived connection per ledger: a pool would only keep the file open after dispose.
            Pooling = false,

            // Microsoft.Data.Sqlite retries busy statements until its command timeout; keep it in line with ours.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };

        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {BusyMilliseconds(options)}");

            // Read-only checks first: nothing is written to a file we do not recognise.
            var version = Inspect(connection, path);

            Execute(connection, "PRAGMA foreign_keys = ON");
            Execute(connection, "PRAGMA temp_store = MEMORY");
            if (version == 0)
            {
                // Only a new, empty file takes a page size.
                Execute(connection, $"PRAGMA page_size = {PageSize}");
            }

            var mode = Scalar(connection, "PRAGMA journal_mode = WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new LedgerOpenException(
                    $"Cannot open the ExperimentKit ledger '{path}': SQLite could not switch it to WAL mode (it stays in '{mode}' mode). "
                    + "Keep the ledger on a local disk; network shares cannot share memory between processes.");
            }

            Execute(connection, options.Durability == Durability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");

            // Keep the WAL file from growing without bound after a burst of writes.
            Execute(connection, "PRAGMA journal_size_limit = 67108864");

            // Checkpoint less often than SQLite's default of 1,000 pages (see AutoCheckpointPages).
            Execute(connection, $"PRAGMA wal_autocheckpoint = {AutoCheckpointPages}");

            Execute(connection, $"PRAGMA cache_size = -{CacheKiB}");

            if (version < SqliteMigrations.Latest)
            {
                Migrate(connection, path);
            }

            // A cheap look at the rightmost pages of the main tables (no full integrity check on every open).
            Scalar(connection, "SELECT (SELECT max(id) FROM runs) + (SELECT count(*) FROM experiments) + (SELECT count(*) FROM schema_version)");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw SqliteErrors.AtOpen(path, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The page size of new ledgers: 8 KiB pages waste less space around ~1 KiB rows than 4 KiB ones.</summary>
    private const int PageSize = 8192;

    /// <summary>
    /// How many WAL pages trigger a checkpoint. A new run writes about 14 pages to the WAL (its claim and its
    /// completion touch the row, five indexes, the component table and the uid counter), so SQLite's default of
    /// 1,000 pages checkpointed every ~70 runs, and each checkpoint syncs the WAL and the database file (two
    /// fsyncs, even with <c>synchronous=NORMAL</c>) inside the commit of the run that crossed the line. 4,096
    /// pages (32 MiB with 8 KiB pages, 16 MiB with 4 KiB) checkpoint about four times less often. With
    /// <c>synchronous=NORMAL</c> a power loss may still lose the commits not yet synced, as before; more of them
    /// may be waiting between syncs (the OS writes them back on its own within seconds).
    /// </summary>
    private const int AutoCheckpointPages = 4096;

    /// <summary>The page cache per connection, in KiB: the hot indexes of a million-run ledger stay in memory.</summary>
    private const int CacheKiB = 16384;

    /// <summary>The ledger's schema version: 0 for an empty file, else the recorded one (refused when foreign or too new).</summary>
    private static int Inspect(SqliteConnection connection, string path)
    {
        // One read transaction: a process creating the ledger at this moment commits its tables and its
        // application id together, and this must see both or neither. Read apart, the id could be read before
        // that commit and the tables after it, and a new ledger was refused as another program's database.
        Execute(connection, "BEGIN");
        try
        {
            return InspectSnapshot(connection, path);
        }
        finally
        {
            TryExecute(connection, "COMMIT");
        }
    }

    private static int InspectSnapshot(SqliteConnection connection, string path)
    {
        var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (applicationId == 0 && tables.Count == 0)
        {
            return 0;
        }

        if (applicationId != SqliteMigrations.ApplicationId || !tables.Contains("schema_version"))
        {
            var what = tables.Count == 0 ? "no tables" : "tables " + string.Join(", ", tables.Take(8)) + (tables.Count > 8 ? ", ..." : string.Empty);
            throw new LedgerOpenException(
                $"Cannot open '{path}' as an ExperimentKit ledger: it is a SQLite database of another program "
                + $"(application id 0x{applicationId:X8}, {what}). The file was left untouched. "
                + "Point the store at another folder, or move this file away so that a new, empty ledger is created.");
        }

        var version = Convert.ToInt32(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        ThrowIfNewer(path, version);
        return version;
    }

    private static void ThrowIfNewer(string path, int version)
    {
        if (version > SqliteMigrations.Latest)
        {
            throw new LedgerOpenException(
                $"Cannot open the ExperimentKit ledger '{path}': it has schema version {version}, written by a newer ExperimentKit, "
                + $"and this ExperimentKit ({LibraryVersion}) supports schema versions up to {SqliteMigrations.Latest}. "
                + "Upgrade ExperimentKit to open it. The file was left untouched.");
        }
    }

    /// <summary>Applies every pending step, each in its own IMMEDIATE transaction that re-reads the version under the lock.</summary>
    private static void Migrate(SqliteConnection connection, string path)
    {
        foreach (var step in SqliteMigrations.All)
        {
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                // Another process may have migrated, or claimed the file, since we looked.
                var current = CurrentVersionLocked(connection, path);
                if (current >= step.Version)
                {
                    Execute(connection, "COMMIT");
                    continue;
                }

                if (current != step.Version - 1)
                {
                    throw new LedgerOpenException(
                        $"Cannot open the ExperimentKit ledger '{path}': its schema version {current} is not followed by step {step.Version}. The file was left untouched.");
                }

                Execute(connection, step.Sql);
                if (step.Version == 1)
                {
                    Execute(connection, $"PRAGMA application_id = {SqliteMigrations.ApplicationId}");
                }

                using (var record = connection.CreateCommand())
                {
                    record.CommandText = "INSERT INTO schema_version (version, applied_ms, description, applied_by) VALUES ($v, $t, $d, $b)";
                    record.Parameters.AddWithValue("$v", step.Version);
                    record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    record.Parameters.AddWithValue("$d", step.Description);
                    record.Parameters.AddWithValue("$b", "ExperimentKit " + LibraryVersion);
                    record.ExecuteNonQuery();
                }

                Execute(connection, "COMMIT");
            }
            catch
            {
                TryExecute(connection, "ROLLBACK");
                throw;
            }
        }
    }

    private static int CurrentVersionLocked(SqliteConnection connection, string path)
    {
        var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_schema"), CultureInfo.InvariantCulture);
        if (applicationId == 0 && tables == 0)
        {
            return 0;
        }

        if (applicationId != SqliteMigrations.ApplicationId)
        {
            throw new LedgerOpenException(
                $"Cannot open '{path}' as an ExperimentKit ledger: another program wrote a database to it while it was being created. The file was left untouched.");
        }

        var version = Convert.ToInt32(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        ThrowIfNewer(path, version);
        return version;
    }

    /// <summary>The library's version, for messages and the <c>schema_version</c> table.</summary>
    public static string LibraryVersion { get; } =
        typeof(SqliteLedgerFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(SqliteLedgerFile).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static long BusyMilliseconds(ExperimentStoreOptions options)
        => Math.Clamp((long)options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void TryExecute(SqliteConnection connection, string sql)
    {
        try
        {
            Execute(connection, sql);
        }
        catch (SqliteException)
        {
            // Nothing to undo (the transaction already ended).
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
