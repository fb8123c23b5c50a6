using ExperimentKit.Ledger.Conformance;
using Npgsql;

namespace ExperimentKit.Postgres.Tests;

/// <summary>What the PostgreSQL ledger adds to the shared contract: migrations, retries, the index, secrets.</summary>
public sealed class PostgresLedgerTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.SharedAsync();

    public Task DisposeAsync() => _server.DropSchemaAsync(_schema);

    private Task<PostgresRunLedger> OpenAsync(string? schema = null) => PostgresRunLedger.OpenAsync(Options(schema));

    private PostgresLedgerOptions Options(string? schema = null) => new() { ConnectionString = _server.ConnectionString, Schema = schema ?? _schema };

    private static RunClaimRequest Claim(int n, string experiment = "train")
    {
        var p = TestParams.For(n);
        return new RunClaimRequest
        {
            Key = new RunKey(experiment, 1, n.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)),
            ParamsJson = p.ExactJson,
            CanonicalJson = p.CanonicalJson,
            ComponentHashes = p.ComponentHashes,
            Owner = RunOwner.NewForCurrentProcess(),
            Lease = TimeSpan.FromMinutes(5),
            ResultFileName = "result.json",
        };
    }

    [PostgresFact]
    public async Task Workers_opening_a_new_ledger_at_once_migrate_it_once()
    {
        var ledgers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => OpenAsync())));
        foreach (var ledger in ledgers)
        {
            await ledger.DisposeAsync();
        }

        Assert.Equal(PostgresMigrations.All.Select(m => (long)m.Version), await QueryAsync<long>("SELECT version::bigint FROM schema_version ORDER BY version"));
    }

    [PostgresFact]
    public async Task A_schema_from_a_newer_ExperimentKit_is_refused_and_left_alone()
    {
        await (await OpenAsync()).DisposeAsync();
        await ExecuteAsync("INSERT INTO schema_version (version, description, applied_by) VALUES (999, 'future', 'ExperimentKit 9')");

        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => OpenAsync());

        Assert.Contains("999", e.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade ExperimentKit", e.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_version_1_ledger_is_migrated_with_its_runs_and_uids_go_on()
    {
        // A ledger as the first release left it: schema version 1 and a run claimed through its exk_claim.
        await ExecuteAsync($"CREATE SCHEMA \"{_schema}\"");
        await ExecuteAsync(PostgresMigrations.VersionTable);
        await ExecuteAsync(PostgresMigrations.All[0].Sql);
        await ExecuteAsync("INSERT INTO schema_version (version, description, applied_by) VALUES (1, 'v1', 'tests')");
        await ExecuteAsync(
            "SELECT * FROM exk_claim('train', 1, '00000000000000aa', '{}', '{}', '{}', '{}', 'h', 1, now(), 'tok', '5 minutes', 'result.json', NULL, NULL, false, NULL)");

        await using var ledger = await OpenAsync();
        var old = await ledger.GetAsync(new RunKey("train", 1, "00000000000000aa"));
        var claimed = await ledger.ClaimAsync(Claim(7));

        Assert.Equal(PostgresMigrations.All.Select(m => (long)m.Version), await QueryAsync<long>("SELECT version::bigint FROM schema_version ORDER BY version"));
        Assert.Equal(1, old!.Uid);
        Assert.Equal(ClaimOutcome.Claimed, claimed.Outcome);
        Assert.Equal(2, claimed.Row.Uid);
        Assert.Equal(["runs_experiment_id_version_hash_key", "runs_pkey", "runs_uid_experiment_id_key"],
            await QueryAsync<string>("SELECT conname::text FROM pg_constraint WHERE conrelid = 'runs'::regclass AND contype IN ('u', 'p') ORDER BY conname"));
    }

    [PostgresFact]
    public async Task Key_lookups_use_the_key_index_on_a_new_table_whose_statistics_are_empty()
    {
        // Prepared statements get generic plans, kept for the session; planned while a new table held a page or
        // two and had never been analyzed, the lookup by key went through the uid index and, as the table grew,
        // read every run of the experiment.
        await using var ledger = await OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            await ledger.ClaimAsync(Claim(i));
        }

        const string Generic = "SET plan_cache_mode = force_generic_plan";
        var get = string.Join('\n', await QueryAsync<string>(
            "EXPLAIN EXECUTE get('train', 1, '000000000000000a')",
            Generic + "; PREPARE get(text, integer, text) AS SELECT r.id FROM runs r WHERE r.experiment_id = (SELECT exp_id FROM experiments WHERE name = $1) AND r.version = $2 AND r.hash = $3"));
        var statuses = await ledger.GetStatusesAsync("train", 1, Enumerable.Range(0, 300).Select(i => i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        Assert.Contains("runs_experiment_id_version_hash_key", get, StringComparison.Ordinal);
        Assert.DoesNotContain("Filter", get, StringComparison.Ordinal);
        Assert.Equal(3, statuses.Count);
    }

    [PostgresFact]
    public async Task A_claim_retried_after_a_lost_reply_gets_the_same_claim_back()
    {
        await using var ledger = await OpenAsync();
        var request = Claim(1);
        var first = await ledger.ClaimAsync(request);

        // The same request again, as a retry does when the first reply was lost: the row is already this token's.
        var again = await ledger.ClaimAsync(request);

        Assert.Equal(ClaimOutcome.Claimed, again.Outcome);
        Assert.Equal(first.Row.Attempt, again.Row.Attempt);
        Assert.Equal(first.Row.Uid, again.Row.Uid);
        Assert.Equal(first.PreviousStatus, again.PreviousStatus);
        Assert.Equal(2, (await ledger.ClaimAsync(Claim(2))).Row.Uid);
    }

    [PostgresFact]
    public async Task Calls_survive_their_connections_being_terminated()
    {
        // Its own application name, so only this ledger's connections are terminated (other tests run meanwhile).
        var name = "exk-" + _schema;
        var options = Options();
        options.ConnectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { ApplicationName = name }.ConnectionString;
        await using var ledger = await PostgresRunLedger.OpenAsync(options);
        var request = Claim(1);
        await ledger.ClaimAsync(request);

        // Every pooled connection of the ledger dies, as in a server restart or a failover.
        await TerminateConnectionsAsync(name);
        var done = await ledger.CompleteAsync(request.Key, request.Owner.Token, new RunCompletion { Elapsed = TimeSpan.FromSeconds(1) });

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(1, done.Attempt);
    }

    [PostgresFact]
    public async Task Where_on_a_leaf_is_answered_from_the_gin_index_on_the_flat_fields()
    {
        await using var ledger = await OpenAsync();
        for (var n = 1; n <= 300; n++)
        {
            await ledger.ClaimAsync(Claim(n));
        }

        var rows = await ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Model.Layers"] = "4", ["Dataset"] = "\"mnist\"" } });
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("\"Layers\":4", r.ParamsJson, StringComparison.Ordinal));

        await ExecuteAsync("ANALYZE runs");
        var plan = string.Join('\n', await QueryAsync<string>("EXPLAIN SELECT id FROM runs WHERE params_flat @> '{\"Model.Layers\": 4}'::jsonb", "SET enable_seqscan = off"));
        Assert.Contains("runs_params_flat", plan, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task The_description_and_open_errors_never_hold_the_password()
    {
        const string secret = "s3cret-Never-Shown";
        await using (var ledger = await PostgresRunLedger.OpenAsync(Options().WithPassword(_server.ConnectionString, secret)))
        {
            Assert.DoesNotContain(secret, ledger.Description, StringComparison.Ordinal);
        }

        var invalid = await Assert.ThrowsAsync<LedgerOpenException>(() => PostgresRunLedger.OpenAsync(new PostgresLedgerOptions { ConnectionString = $"Host=127.0.0.1;Password={secret};Port=nope" }));
        Assert.DoesNotContain(secret, invalid.Message, StringComparison.Ordinal);

        var unreachable = await Assert.ThrowsAsync<LedgerOpenException>(() => PostgresRunLedger.OpenAsync(new PostgresLedgerOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port=1;Username=nobody;Password={secret};Timeout=2",
            RetryFor = TimeSpan.Zero,
        }));
        Assert.DoesNotContain(secret, unreachable.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", unreachable.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Hostile_schema_names_are_refused_before_any_sql()
    {
        var e = await Assert.ThrowsAsync<LedgerOpenException>(() => OpenAsync("x\"; DROP SCHEMA public CASCADE; --"));
        Assert.Contains("plain schema name", e.Message, StringComparison.Ordinal);
    }

    private async Task TerminateConnectionsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @a AND pid <> pg_backend_pid()", connection);
        kill.Parameters.AddWithValue("a", applicationName);
        Assert.True((long)(await kill.ExecuteScalarAsync())! > 0);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<T>> QueryAsync<T>(string sql, string? setup = null)
    {
        await using var connection = await ConnectAsync();
        if (setup is not null)
        {
            await using var set = new NpgsqlCommand(setup, connection);
            await set.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    private async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { SearchPath = _schema, ApplicationName = "tests" }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

internal static class PostgresLedgerOptionsExtensions
{
    /// <summary>The options with <paramref name="connectionString"/> plus a password (trust authentication ignores it).</summary>
    public static PostgresLedgerOptions WithPassword(this PostgresLedgerOptions options, string connectionString, string password)
    {
        options.ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;
        return options;
    }
}
