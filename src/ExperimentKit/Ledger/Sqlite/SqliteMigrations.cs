namespace ExperimentKit;

/// <summary>One forward-only step of the ledger schema, applied in its own transaction.</summary>
/// <param name="Version">The schema version after this step (1, 2, 3, ... without gaps).</param>
/// <param name="Description">What the step does, recorded in <c>schema_version</c>.</param>
/// <param name="Sql">The statements of the step.</param>
internal sealed record SqliteMigration(int Version, string Description, string Sql);

/// <summary>
/// The ledger schema as an ordered list of migrations. Rules: a released step is never edited (add a new one);
/// steps only move forward; a ledger whose version is newer than <see cref="Latest"/> is refused, never downgraded.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>The SQLite <c>application_id</c> of a ledger ("EXKL"), set by the first step: it tells our files from other SQLite files.</summary>
    public const int ApplicationId = 0x45584B4C;

    /// <summary>Every step, in order.</summary>
    public static readonly SqliteMigration[] All =
    [
        new(1, "runs, experiments (uid sequences), run_components, schema_version", V1),
        new(2, "submissions: the queue of sweeps for service-mode workers", V2),
    ];

    // Assignments are a JSON array of strings; the owner of a taken submission is kept so a dead taker's
    // submission can be taken again.
    private const string V2 = """
        CREATE TABLE submissions (
            id             INTEGER PRIMARY KEY,
            experiment     TEXT    NOT NULL,
            assignments    TEXT    NOT NULL,
            status         INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),
            submitted_ms   INTEGER NOT NULL,
            taken_ms       INTEGER,
            owner_host     TEXT,
            owner_pid      INTEGER,
            owner_start_ms INTEGER,
            owner_token    TEXT,
            finished_ms    INTEGER,
            error          TEXT
        );
        CREATE INDEX submissions_waiting ON submissions (status, id);
        """;

    /// <summary>The newest schema version this code knows.</summary>
    public static int Latest => All[^1].Version;

    // Times are unix milliseconds (UTC, this machine's clock), durations milliseconds. Maps and tags are JSON
    // text, NULL when empty. run_components is kept in step with runs.component_hashes by triggers.
    private const string V1 = """
        CREATE TABLE schema_version (
            version     INTEGER PRIMARY KEY,
            applied_ms  INTEGER NOT NULL,
            description TEXT    NOT NULL,
            applied_by  TEXT    NOT NULL
        );

        CREATE TABLE experiments (
            exp_id   INTEGER PRIMARY KEY,
            name     TEXT    NOT NULL UNIQUE,
            last_uid INTEGER NOT NULL
        );

        CREATE TABLE runs (
            id                 INTEGER PRIMARY KEY,
            experiment_id      INTEGER NOT NULL REFERENCES experiments (exp_id),
            version            INTEGER NOT NULL,
            hash               TEXT    NOT NULL,
            uid                INTEGER NOT NULL,
            status             INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4),
            attempt            INTEGER NOT NULL,
            owner_host         TEXT,
            owner_pid          INTEGER,
            owner_start_ms     INTEGER,
            owner_token        TEXT,
            lease_expires_ms   INTEGER,
            created_ms         INTEGER NOT NULL,
            started_ms         INTEGER,
            finished_ms        INTEGER,
            last_used_ms       INTEGER NOT NULL,
            elapsed_ms         INTEGER,
            params_json        TEXT    NOT NULL,
            canonical_json     TEXT    NOT NULL,
            component_hashes   TEXT,
            result_file        TEXT,
            files              TEXT,
            summary            TEXT,
            metadata           TEXT,
            error              TEXT,
            runner_fingerprint TEXT,
            note               TEXT,
            tags               TEXT,
            UNIQUE (experiment_id, version, hash),
            UNIQUE (experiment_id, uid)
        );

        CREATE INDEX runs_status ON runs (status);
        CREATE INDEX runs_created ON runs (created_ms);
        CREATE INDEX runs_last_used ON runs (last_used_ms);

        CREATE TABLE run_components (
            component TEXT    NOT NULL,
            hash      TEXT    NOT NULL,
            run_id    INTEGER NOT NULL,
            PRIMARY KEY (component, hash, run_id)
        ) WITHOUT ROWID;

        CREATE TRIGGER runs_components_insert AFTER INSERT ON runs
        WHEN new.component_hashes IS NOT NULL
        BEGIN
            INSERT OR IGNORE INTO run_components (component, hash, run_id)
            SELECT key, value, new.id FROM json_each(new.component_hashes);
        END;

        CREATE TRIGGER runs_components_delete AFTER DELETE ON runs
        WHEN old.component_hashes IS NOT NULL
        BEGIN
            DELETE FROM run_components
            WHERE (component, hash, run_id) IN (SELECT key, value, old.id FROM json_each(old.component_hashes));
        END;

        CREATE TRIGGER runs_components_update AFTER UPDATE OF component_hashes ON runs
        WHEN old.component_hashes IS NOT new.component_hashes
        BEGIN
            DELETE FROM run_components
            WHERE (component, hash, run_id) IN (SELECT key, value, old.id FROM json_each(old.component_hashes));
            INSERT OR IGNORE INTO run_components (component, hash, run_id)
            SELECT key, value, new.id FROM json_each(new.component_hashes);
        END;
        """;
}
