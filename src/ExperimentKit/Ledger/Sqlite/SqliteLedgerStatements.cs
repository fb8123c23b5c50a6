using Microsoft.Data.Sqlite;

namespace ExperimentKit;

/// <summary>Every fixed statement of the ledger, prepared once per connection and reused under the ledger's lock.</summary>
internal sealed class SqliteLedgerStatements : IDisposable
{
    /// <summary>How many hashes one <see cref="Statuses"/> round trip asks about (as one JSON array parameter).</summary>
    public const int StatusChunk = 10_000;

    /// <summary>The key predicate; its parameters are <c>$e</c> (experiment name), <c>$v</c> (version), <c>$h</c> (hash).</summary>
    private const string ByKey = "experiment_id = (SELECT exp_id FROM experiments WHERE name = $e) AND version = $v AND hash = $h";

    private readonly List<SqliteStatement> _all = [];

    public SqliteLedgerStatements(SqliteConnection connection)
    {
        SqliteStatement Add(string sql, params ReadOnlySpan<string> names)
        {
            var statement = new SqliteStatement(connection, sql, names);
            _all.Add(statement);
            return statement;
        }

        var columns = SqliteRunColumns.Names;
        var parameters = SqliteRunColumns.Parameters;

        BeginWrite = Add("BEGIN IMMEDIATE");
        BeginRead = Add("BEGIN");
        Commit = Add("COMMIT");
        Rollback = Add("ROLLBACK");

        SelectByKey = Add($"SELECT {SqliteRunColumns.Select} FROM runs WHERE {ByKey}", "$e", "$v", "$h");

        NextUid = Add(
            "INSERT INTO experiments (name, last_uid) VALUES ($e, 1) ON CONFLICT (name) DO UPDATE SET last_uid = last_uid + 1 RETURNING exp_id, last_uid",
            "$e");

        // Parameter 0 is the experiment id, then the row columns.
        Insert = Add(
            $"INSERT INTO runs (experiment_id, {string.Join(", ", columns)}) VALUES ($x, {string.Join(", ", parameters)})",
            ["$x", .. parameters]);

        // Every mutable column; the identity (version, hash, uid) and the creation time never change.
        string[] immutable = ["version", "hash", "uid", "created_ms"];
        var sets = columns.Select((c, i) => (c, p: parameters[i])).Where(x => !immutable.Contains(x.c)).Select(x => $"{x.c} = {x.p}");
        UpdateById = Add($"UPDATE runs SET {string.Join(", ", sets)} WHERE id = $id", [.. parameters, "$id"]);

        Renew = Add($"UPDATE runs SET lease_expires_ms = $l WHERE {ByKey} AND owner_token = $t AND status = 1", "$e", "$v", "$h", "$t", "$l");

        // Ends an attempt the caller still owns, atomically: the owner token and Running status are the guard.
        Finish = Add(
            $"""
            UPDATE runs SET
                status = $s, lease_expires_ms = NULL, finished_ms = $now, last_used_ms = $now, elapsed_ms = $el,
                summary = CASE WHEN $replace THEN $sum ELSE coalesce($sum, summary) END,
                files = CASE WHEN $replace THEN $files ELSE coalesce($files, files) END,
                metadata = CASE WHEN $meta IS NULL THEN metadata WHEN metadata IS NULL THEN $meta ELSE json_patch(metadata, $meta) END,
                error = $err
            WHERE {ByKey} AND owner_token = $t AND status = 1
            RETURNING {SqliteRunColumns.Select}
            """,
            "$e", "$v", "$h", "$t", "$s", "$now", "$el", "$replace", "$sum", "$files", "$meta", "$err");

        // The hashes come as one JSON array: one parameter to bind, however many hashes (SQLite finds a named
        // parameter by a linear search, and Microsoft.Data.Sqlite binds each parameter by name on every run).
        // SQLite reads the array into a sorted list and seeks the key index once per distinct hash, in order.
        Statuses = Add(
            "SELECT hash, status, attempt, runner_fingerprint FROM runs WHERE experiment_id = (SELECT exp_id FROM experiments WHERE name = $e) AND version = $v AND hash IN (SELECT value FROM json_each($h))",
            "$e", "$v", "$h");

        Touch = Add($"UPDATE runs SET last_used_ms = $t WHERE {ByKey}", "$e", "$v", "$h", "$t");

        Delete = Add($"DELETE FROM runs WHERE {ByKey}", "$e", "$v", "$h");

        Annotate = Add("UPDATE runs SET note = $n, tags = $t WHERE id = $id", "$n", "$t", "$id");
    }

    public SqliteStatement BeginWrite { get; }

    public SqliteStatement BeginRead { get; }

    public SqliteStatement Commit { get; }

    public SqliteStatement Rollback { get; }

    /// <summary>The full row of a key: <c>$e $v $h</c>.</summary>
    public SqliteStatement SelectByKey { get; }

    /// <summary>Allocates the next uid of an experiment (creating the experiment): <c>$e</c> → exp_id, uid.</summary>
    public SqliteStatement NextUid { get; }

    /// <summary>Inserts a row: <c>$x</c> (experiment id) then the row columns.</summary>
    public SqliteStatement Insert { get; }

    /// <summary>Writes every mutable column of a row: the row columns then <c>$id</c>.</summary>
    public SqliteStatement UpdateById { get; }

    /// <summary>Extends an owned lease: <c>$e $v $h $t $l</c>.</summary>
    public SqliteStatement Renew { get; }

    /// <summary>Completes, fails or interrupts an owned run, returning the row.</summary>
    public SqliteStatement Finish { get; }

    /// <summary>Statuses of up to <see cref="StatusChunk"/> hashes: <c>$e $v $h</c>, the hashes a JSON array of strings.</summary>
    public SqliteStatement Statuses { get; }

    /// <summary>Sets the last-used time: <c>$e $v $h $t</c>.</summary>
    public SqliteStatement Touch { get; }

    /// <summary>Deletes a row (its component rows go by trigger): <c>$e $v $h</c>.</summary>
    public SqliteStatement Delete { get; }

    /// <summary>Sets the note and tags: <c>$n $t $id</c>.</summary>
    public SqliteStatement Annotate { get; }

    /// <summary>Binds the key parameters <c>$e $v $h</c> (the first three of a statement).</summary>
    public static SqliteStatement BindKey(SqliteStatement statement, RunKey key)
        => statement.Set(0, key.Experiment).Set(1, key.Version).Set(2, key.Hash);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in _all)
        {
            statement.Dispose();
        }
    }
}
