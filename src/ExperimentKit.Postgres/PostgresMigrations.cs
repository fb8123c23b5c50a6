namespace ExperimentKit.Postgres;

/// <summary>One forward-only step of the PostgreSQL ledger schema.</summary>
/// <param name="Version">The schema version after this step (1, 2, 3, ... without gaps).</param>
/// <param name="Description">What the step does, recorded in <c>schema_version</c>.</param>
/// <param name="Sql">The statements of the step.</param>
internal sealed record PostgresMigration(int Version, string Description, string Sql);

/// <summary>
/// The PostgreSQL ledger schema as an ordered list of migrations, applied at open in one transaction under an
/// advisory lock (so workers starting together migrate once). A released step is never edited: add a new one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>Every step, in order.</summary>
    public static readonly PostgresMigration[] All =
    [
        new(1, "runs, experiments (uid counters), submissions, exk_claim", V1),
        new(2, "uid unique index leads with uid; exk_claim inserts the experiment row only when missing", V2),
    ];

    /// <summary>The newest schema version this code knows.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Created before anything else, so the version can be read under the lock.</summary>
    public const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     integer     PRIMARY KEY,
            applied     timestamptz NOT NULL DEFAULT now(),
            description text        NOT NULL,
            applied_by  text        NOT NULL
        )
        """;

    // Times are timestamptz in the server's clock. String maps (components, files, metadata) and tags are
    // jsonb; the summary is text (exact doubles, NaN and infinities as strings, which numeric cannot hold).
    // params_json keeps the exact text (jsonb would reorder keys); params_flat is the flat fields as jsonb
    // ({"Model.Layers":4,...}) with a GIN index, so where-queries are containment (@>) index scans.
    // claimed_from is the status a claim took the row from: a retried claim whose first try was applied
    // (the reply was lost) answers the same PreviousStatus.
    private const string V1 = """
        CREATE TABLE experiments (
            exp_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name     text   NOT NULL UNIQUE,
            last_uid bigint NOT NULL DEFAULT 0
        );

        CREATE TABLE runs (
            id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            experiment_id      bigint      NOT NULL REFERENCES experiments (exp_id),
            version            integer     NOT NULL,
            hash               text        NOT NULL,
            uid                bigint      NOT NULL,
            status             smallint    NOT NULL CHECK (status BETWEEN 0 AND 4),
            attempt            integer     NOT NULL,
            claimed_from       smallint,
            owner_host         text,
            owner_pid          integer,
            owner_start        timestamptz,
            owner_token        text,
            lease_expires      timestamptz,
            created            timestamptz NOT NULL,
            started            timestamptz,
            finished           timestamptz,
            last_used          timestamptz NOT NULL,
            elapsed_ms         bigint,
            params_json        text        NOT NULL,
            canonical_json     text        NOT NULL,
            params_flat        jsonb       NOT NULL,
            component_hashes   jsonb       NOT NULL DEFAULT '{}',
            result_file        text,
            files              jsonb,
            summary            text,
            metadata           jsonb,
            error              text,
            runner_fingerprint text,
            note               text,
            tags               jsonb,
            UNIQUE (experiment_id, version, hash),
            UNIQUE (experiment_id, uid)
        );

        CREATE INDEX runs_status ON runs (status);
        CREATE INDEX runs_created ON runs (created);
        CREATE INDEX runs_last_used ON runs (last_used);
        CREATE INDEX runs_params_flat ON runs USING gin (params_flat jsonb_path_ops);
        CREATE INDEX runs_components ON runs USING gin (component_hashes);
        CREATE INDEX runs_tags ON runs USING gin (tags jsonb_path_ops);

        CREATE TABLE submissions (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            request_token text        NOT NULL UNIQUE,
            experiment    text        NOT NULL,
            assignments   jsonb       NOT NULL,
            status        smallint    NOT NULL CHECK (status BETWEEN 0 AND 3),
            submitted     timestamptz NOT NULL,
            taken         timestamptz,
            owner_host    text,
            owner_pid     integer,
            owner_start   timestamptz,
            owner_token   text,
            finished      timestamptz,
            error         text
        );
        CREATE INDEX submissions_waiting ON submissions (status, id);

        -- The claim, in one statement and one round trip. A new run locks its experiment's uid counter row,
        -- looks again (a concurrent claim of the same key may have inserted it meanwhile) and only then takes
        -- the next uid, so uids never repeat and never skip. An existing run is locked FOR UPDATE and taken
        -- over when it is Pending, Failed, Interrupted, Completed with p_force, or Running past its lease (in
        -- this server's clock) or owned by p_stale_token (a dead owner the client found on its own host).
        -- The client reads the outcome off the returned row: its owner token, status and canonical JSON.
        CREATE FUNCTION exk_claim(
            p_experiment text, p_version integer, p_hash text,
            p_params text, p_canonical text, p_flat jsonb, p_components jsonb,
            p_host text, p_pid integer, p_start timestamptz, p_token text, p_lease interval,
            p_result_name text, p_fingerprint text, p_metadata jsonb, p_force boolean, p_stale_token text)
        RETURNS SETOF runs
        LANGUAGE plpgsql VOLATILE AS $fn$
        DECLARE
            v_now timestamptz := clock_timestamp();
            v_exp bigint;
            v_uid bigint;
            v_id  bigint;
            v_run runs;
        BEGIN
            SELECT exp_id INTO v_exp FROM experiments WHERE name = p_experiment;
            IF v_exp IS NOT NULL THEN
                SELECT * INTO v_run FROM runs WHERE experiment_id = v_exp AND version = p_version AND hash = p_hash FOR UPDATE;
            END IF;

            IF v_run.id IS NULL THEN
                INSERT INTO experiments (name) VALUES (p_experiment) ON CONFLICT (name) DO NOTHING;
                SELECT exp_id INTO v_exp FROM experiments WHERE name = p_experiment FOR UPDATE;
                SELECT * INTO v_run FROM runs WHERE experiment_id = v_exp AND version = p_version AND hash = p_hash FOR UPDATE;
            END IF;

            IF v_run.id IS NULL THEN
                UPDATE experiments SET last_uid = last_uid + 1 WHERE exp_id = v_exp RETURNING last_uid INTO v_uid;
                INSERT INTO runs (experiment_id, version, hash, uid, status, attempt, owner_host, owner_pid, owner_start,
                                  owner_token, lease_expires, created, started, last_used, params_json, canonical_json,
                                  params_flat, component_hashes, result_file, metadata, runner_fingerprint)
                VALUES (v_exp, p_version, p_hash, v_uid, 1, 1, p_host, p_pid, p_start,
                        p_token, v_now + p_lease, v_now, v_now, v_now, p_params, p_canonical,
                        p_flat, p_components, exk_result_file(p_experiment, v_uid, p_hash, p_result_name), p_metadata, p_fingerprint)
                RETURNING id INTO v_id;
                RETURN QUERY SELECT * FROM runs WHERE id = v_id;
                RETURN;
            END IF;

            IF v_run.canonical_json <> p_canonical                                    -- a hash collision: write nothing
               OR (v_run.status = 2 AND NOT p_force)                                  -- completed
               OR (v_run.status = 1 AND v_run.owner_token = p_token)                  -- already ours (a retried claim)
               OR (v_run.status = 1 AND v_run.lease_expires > v_now
                   AND v_run.owner_token IS DISTINCT FROM p_stale_token) THEN         -- held by a live owner
                RETURN NEXT v_run;
                RETURN;
            END IF;

            UPDATE runs SET
                status = 1, attempt = attempt + 1, claimed_from = status,
                owner_host = p_host, owner_pid = p_pid, owner_start = p_start, owner_token = p_token,
                lease_expires = v_now + p_lease, started = v_now, last_used = v_now,
                params_json = p_params, params_flat = p_flat, component_hashes = p_components,
                result_file = coalesce(exk_result_file(p_experiment, uid, p_hash, p_result_name), result_file),
                metadata = CASE WHEN p_metadata IS NULL THEN metadata WHEN metadata IS NULL THEN p_metadata ELSE metadata || p_metadata END,
                runner_fingerprint = coalesce(p_fingerprint, runner_fingerprint),
                error = NULL
            WHERE id = v_run.id;
            RETURN QUERY SELECT * FROM runs WHERE id = v_run.id;
        END
        $fn$;

        -- {experiment}/{uid:D4}-{hash}/{name}, as RunPaths.RelativeDirectory writes it (lpad would cut uids past 9999).
        CREATE FUNCTION exk_result_file(p_experiment text, p_uid bigint, p_hash text, p_name text)
        RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
            SELECT CASE WHEN p_name IS NULL THEN NULL
                        ELSE p_experiment || '/' || CASE WHEN p_uid < 1000 THEN lpad(p_uid::text, 4, '0') ELSE p_uid::text END
                             || '-' || p_hash || '/' || p_name END
        $fn$;
        """;

    // Why the uid index changes: a statement prepared while the runs table was new and its statistics empty
    // (every sweep's first seconds) could get a generic plan that found a run by key through
    // UNIQUE (experiment_id, uid), the first index whose leading column matched, filtering version and hash
    // over every run of the experiment: each key lookup (GetAsync, the lookups in exk_claim, status checks)
    // then read the whole experiment, thousands of buffers per call, until an autovacuum ANALYZE replanned it.
    // With uid first that index cannot serve a lookup by experiment, and the key's own unique index is the
    // only one that matches. The claim's INSERT ... ON CONFLICT on experiments ran on every new run; it is
    // needed only the first time an experiment is seen.
    private const string V2 = """
        ALTER TABLE runs DROP CONSTRAINT runs_experiment_id_uid_key;
        ALTER TABLE runs ADD CONSTRAINT runs_uid_experiment_id_key UNIQUE (uid, experiment_id);

        CREATE OR REPLACE FUNCTION exk_claim(
            p_experiment text, p_version integer, p_hash text,
            p_params text, p_canonical text, p_flat jsonb, p_components jsonb,
            p_host text, p_pid integer, p_start timestamptz, p_token text, p_lease interval,
            p_result_name text, p_fingerprint text, p_metadata jsonb, p_force boolean, p_stale_token text)
        RETURNS SETOF runs
        LANGUAGE plpgsql VOLATILE AS $fn$
        DECLARE
            v_now timestamptz := clock_timestamp();
            v_exp bigint;
            v_uid bigint;
            v_run runs;
        BEGIN
            SELECT exp_id INTO v_exp FROM experiments WHERE name = p_experiment;
            IF v_exp IS NOT NULL THEN
                SELECT * INTO v_run FROM runs WHERE experiment_id = v_exp AND version = p_version AND hash = p_hash FOR UPDATE;
            END IF;

            IF v_run.id IS NULL THEN
                IF v_exp IS NULL THEN
                    INSERT INTO experiments (name) VALUES (p_experiment) ON CONFLICT (name) DO NOTHING;
                END IF;
                SELECT exp_id INTO v_exp FROM experiments WHERE name = p_experiment FOR UPDATE;
                SELECT * INTO v_run FROM runs WHERE experiment_id = v_exp AND version = p_version AND hash = p_hash FOR UPDATE;
            END IF;

            IF v_run.id IS NULL THEN
                UPDATE experiments SET last_uid = last_uid + 1 WHERE exp_id = v_exp RETURNING last_uid INTO v_uid;
                INSERT INTO runs (experiment_id, version, hash, uid, status, attempt, owner_host, owner_pid, owner_start,
                                  owner_token, lease_expires, created, started, last_used, params_json, canonical_json,
                                  params_flat, component_hashes, result_file, metadata, runner_fingerprint)
                VALUES (v_exp, p_version, p_hash, v_uid, 1, 1, p_host, p_pid, p_start,
                        p_token, v_now + p_lease, v_now, v_now, v_now, p_params, p_canonical,
                        p_flat, p_components, exk_result_file(p_experiment, v_uid, p_hash, p_result_name), p_metadata, p_fingerprint)
                RETURNING * INTO v_run;
                RETURN NEXT v_run;
                RETURN;
            END IF;

            IF v_run.canonical_json <> p_canonical                                    -- a hash collision: write nothing
               OR (v_run.status = 2 AND NOT p_force)                                  -- completed
               OR (v_run.status = 1 AND v_run.owner_token = p_token)                  -- already ours (a retried claim)
               OR (v_run.status = 1 AND v_run.lease_expires > v_now
                   AND v_run.owner_token IS DISTINCT FROM p_stale_token) THEN         -- held by a live owner
                RETURN NEXT v_run;
                RETURN;
            END IF;

            UPDATE runs SET
                status = 1, attempt = attempt + 1, claimed_from = status,
                owner_host = p_host, owner_pid = p_pid, owner_start = p_start, owner_token = p_token,
                lease_expires = v_now + p_lease, started = v_now, last_used = v_now,
                params_json = p_params, params_flat = p_flat, component_hashes = p_components,
                result_file = coalesce(exk_result_file(p_experiment, uid, p_hash, p_result_name), result_file),
                metadata = CASE WHEN p_metadata IS NULL THEN metadata WHEN metadata IS NULL THEN p_metadata ELSE metadata || p_metadata END,
                runner_fingerprint = coalesce(p_fingerprint, runner_fingerprint),
                error = NULL
            WHERE id = v_run.id
            RETURNING * INTO v_run;
            RETURN NEXT v_run;
        END
        $fn$;
        """;
}
