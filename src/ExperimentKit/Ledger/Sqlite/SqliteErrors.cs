using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>Turns SQLite result codes into the ledger's exceptions, with messages that say what to do.</summary>
internal static class SqliteErrors
{
    // Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int IoError = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int CantOpen = 14;
    public const int NotADatabase = 26;

    private const string LeftUntouched = "The file was left untouched.";

    private const string WhatToDo = "Stop every process that uses it, then restore it from a backup, or move it away "
        + "(for example rename it to ledger.db.broken) so that a new, empty ledger is created; run folders are not affected.";

    /// <summary>The primary result code of an exception.</summary>
    public static int Primary(SqliteException e) => e.SqliteErrorCode & 0xFF;

    /// <summary>Whether the exception means the file is damaged or not a database.</summary>
    public static bool IsDamage(SqliteException e) => Primary(e) is Corrupt or NotADatabase;

    /// <summary>Whether the exception means another process held the lock past the busy timeout.</summary>
    public static bool IsBusy(SqliteException e) => Primary(e) is Busy or Locked;

    /// <summary>The exception to throw for a failure while opening <paramref name="path"/>.</summary>
    public static LedgerOpenException AtOpen(string path, SqliteException e) => Primary(e) switch
    {
        NotADatabase => new LedgerOpenException(
            $"Cannot open the ExperimentKit ledger '{path}': it is not a SQLite database (it is damaged, encrypted or another kind of file). "
            + $"{LeftUntouched} {WhatToDo}", e),
        Corrupt => new LedgerOpenException(
            $"Cannot open the ExperimentKit ledger '{path}': the database is damaged (SQLite: {e.Message.TrimEnd('.')}); it may have been truncated, "
            + $"partly overwritten or copied while in use. {LeftUntouched} {WhatToDo}", e),
        Busy or Locked => new LedgerOpenException(
            $"Cannot open the ExperimentKit ledger '{path}': another process kept it locked for longer than the busy timeout. "
            + "Retry, or raise ExperimentStoreOptions.BusyTimeout.", e),
        ReadOnly => new LedgerOpenException(
            $"Cannot open the ExperimentKit ledger '{path}': the file or its folder is read-only, and the ledger needs to write "
            + "(the file, and ledger.db-wal and ledger.db-shm beside it). Fix the permissions.", e),
        CantOpen or IoError or Full => new LedgerOpenException(
            $"Cannot open the ExperimentKit ledger '{path}': {e.Message.TrimEnd('.')}. Check that the folder exists, is writable, is on a local "
            + "disk (not a network share: the ledger needs shared memory between processes) and has free space.", e),
        _ => new LedgerOpenException($"Cannot open the ExperimentKit ledger '{path}': {e.Message}", e),
    };

    /// <summary>The exception to throw for a failure of a ledger operation, or null to rethrow the original.</summary>
    public static Exception? InUse(string path, SqliteException e)
    {
        if (IsDamage(e))
        {
            return new LedgerCorruptException(
                $"The ExperimentKit ledger '{path}' is damaged (SQLite: {e.Message.TrimEnd('.')}). The operation was not recorded. "
                + "Stop every process that uses it, then restore it from a backup, or move it away so that a new ledger is created "
                + "(run folders are not affected).", e);
        }

        if (IsBusy(e))
        {
            return new LedgerBusyException(
                $"The ExperimentKit ledger '{path}' stayed locked by another process for longer than the busy timeout; the operation was not recorded. "
                + "Retry, or raise ExperimentStoreOptions.BusyTimeout.", e);
        }

        return null;
    }
}
