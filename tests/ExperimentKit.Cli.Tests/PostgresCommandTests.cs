using System.Text.Json;
using ExperimentKit.Postgres;
using ExperimentKit.Postgres.Tests;
using Npgsql;

namespace ExperimentKit.Cli.Tests;

/// <summary>
/// expkit on a PostgreSQL ledger: the runs of <see cref="TestRoot"/> recorded in a fresh schema of the Postgres
/// tests' server (EXPERIMENTKIT_POSTGRES, else a private cluster; skipped without one unless
/// EXPERIMENTKIT_REQUIRE_ALL_TESTS=1). The connection string always carries a password, which no output may show.
/// </summary>
public sealed class PostgresCommandTests : IAsyncLifetime
{
    private const string MadeUpPassword = "pw-Xq7-never-printed";
    private readonly string _schema = PostgresServer.NewSchema();
    private PostgresServer _server = null!;
    private TestRoot _root = null!;

    /// <summary>The server's connection string with a password (the server's own, or a made-up one that trust authentication ignores).</summary>
    private NpgsqlConnectionStringBuilder Connection { get; set; } = null!;

    private string Password => Connection.Password!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        Connection = new NpgsqlConnectionStringBuilder(_server.ConnectionString);
        if (string.IsNullOrEmpty(Connection.Password))
        {
            Connection.Password = MadeUpPassword;
        }

        var ledger = await PostgresRunLedger.OpenAsync(new PostgresLedgerOptions { ConnectionString = Connection.ConnectionString, Schema = _schema });
        await using (ledger)
        {
            _root = await TestRoot.CreateAsync(ledger);
        }
    }

    public async Task DisposeAsync()
    {
        if (_root is not null)
        {
            await _root.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DropSchemaAsync(_schema);
        }
    }

    private string Uri()
        => $"postgresql://{System.Uri.EscapeDataString(Connection.Username!)}:{System.Uri.EscapeDataString(Password)}@{Connection.Host}:{Connection.Port}/{System.Uri.EscapeDataString(Connection.Database ?? "postgres")}";

    private Task<CliResult> Run(params string[] args) => Expkit.RunAsync(["--ledger", Connection.ConnectionString, "--schema", _schema, "--root", _root.Root, .. args]);

    private void AssertNoPassword(CliResult result)
    {
        Assert.DoesNotContain(Password, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Error, StringComparison.Ordinal);
    }

    private static JsonElement[] Rows(CliResult result) => JsonDocument.Parse(result.Out).RootElement.EnumerateArray().ToArray();

    [PostgresFact]
    public async Task Runs_show_and_export_read_a_postgres_ledger_given_as_a_connection_string()
    {
        var runs = await Run("runs", "-e", "clitest/train", "--where", "Model.Layers=4", "--json");
        Assert.Equal(0, runs.ExitCode);
        Assert.Equal(2, Rows(runs).Length);
        AssertNoPassword(runs);

        var all = await Run("runs", "--sort", "metric:loss", "--json");
        Assert.Equal(6, Rows(all).Length);
        Assert.Equal("Failed", Rows(all).Last(r => r.GetProperty("experiment").GetString() == "clitest/train").GetProperty("status").GetString());
        AssertNoPassword(all);

        var show = await Run("show", "clitest/train:2", "--json");
        Assert.Equal(0, show.ExitCode);
        var run = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal(2, run.GetProperty("uid").GetInt32());
        AssertNoPassword(show);
        var table = await Run("show", "clitest/train:2");
        Assert.Contains("Model.Layers", table.Out);
        Assert.Contains("metrics.jsonl", table.Out);
        AssertNoPassword(table);

        var csv = Path.Combine(_root.Root, "runs.csv");
        var export = await Run("export", "--out", csv);
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(7, File.ReadAllLines(csv).Length);
        Assert.Contains("params.Model.Layers", File.ReadAllLines(csv)[0]);
        AssertNoPassword(export);
        var jsonl = await Run("export", "--format", "jsonl");
        Assert.Equal(6, jsonl.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [PostgresFact]
    public async Task Note_tag_submit_and_queue_write_a_postgres_ledger_given_as_a_uri()
    {
        Task<CliResult> Uri(params string[] args) => Expkit.RunAsync(["--ledger", this.Uri(), "--schema", _schema, "--root", _root.Root, .. args]);

        Assert.Equal(0, (await Uri("note", "clitest/train:2", "best so far")).ExitCode);
        Assert.Equal(0, (await Uri("tag", "clitest/train:2", "baseline", "keep")).ExitCode);
        var tagged = await Uri("runs", "--tag", "baseline", "--json");
        var row = Assert.Single(Rows(tagged));
        Assert.Equal("best so far", row.GetProperty("note").GetString());
        Assert.Equal(["baseline", "keep"], row.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        AssertNoPassword(tagged);

        var submit = await Uri("submit", "clitest/train", "LearningRate=0.5,0.05", "Model.Layers=range(1,3)");
        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("queued #1", submit.Out);
        var queue = await Uri("queue");
        Assert.Equal(0, queue.ExitCode);
        Assert.Contains("LearningRate=0.5,0.05 Model.Layers=range(1,3)", queue.Out);
        AssertNoPassword(queue);
        Assert.Equal(2, (await Uri("submit", "clitest/train", "LernRate=1")).ExitCode);

        var delete = await Uri("delete", "clitest/other:1", "--files");
        Assert.Equal(0, delete.ExitCode);
        Assert.Equal(5, Rows(await Uri("runs", "--json")).Length);
    }

    [PostgresFact]
    public async Task The_backend_comes_from_appsettings_json_or_the_environment_as_for_the_workers()
    {
        var folder = Path.Combine(_root.Root, "cwd");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), JsonSerializer.Serialize(new
        {
            ConnectionStrings = new { ExperimentKit = Connection.ConnectionString },
            ExperimentKit = new { Backend = "Postgres", Root = _root.Root, Postgres = new { Schema = _schema } },
        }));
        var configured = await Expkit.RunInAsync(folder, null, "runs", "-e", "clitest/train", "--json");
        Assert.Equal(0, configured.ExitCode);
        Assert.Equal(5, Rows(configured).Length);
        AssertNoPassword(configured);

        var environment = new Dictionary<string, string>
        {
            ["ExperimentKit__Backend"] = "Postgres",
            ["ConnectionStrings__ExperimentKit"] = Connection.ConnectionString,
            ["ExperimentKit__Postgres__Schema"] = _schema,
        };
        var fromEnvironment = await Expkit.RunInAsync(Path.GetTempPath(), environment, "show", "--root", _root.Root, "clitest/other:1");
        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.Contains("score", fromEnvironment.Out);
        AssertNoPassword(fromEnvironment);

        // The real tool process reads the same variables.
        var process = await Expkit.RunProcessAsync(environment, "runs", _root.Root, "-e", "clitest/other");
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("score", process.Out);
        AssertNoPassword(process);

        // A schema without a ledger is not created by a read.
        var empty = PostgresServer.NewSchema();
        var missing = await Expkit.RunInAsync(folder, null, "runs", "--schema", empty);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"No ledger in PostgreSQL ledger {Connection.Host}:{Connection.Port}/", missing.Error);
        AssertNoPassword(missing);
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @s", connection);
        query.Parameters.AddWithValue("s", empty);
        Assert.Equal(0L, await query.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task Ledger_check_compares_rows_and_folders_and_rebuild_is_refused()
    {
        var check = await Run("ledger", "check");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("the SQLite integrity check does not apply (skipped)", check.Out);
        Assert.Contains($"(schema {_schema})", check.Out);
        Assert.Contains("the ledger and the run folders agree.", check.Out);
        AssertNoPassword(check);

        Directory.CreateDirectory(Path.Combine(_root.Root, "clitest", "train", "0099-00000000000000aa"));
        var orphan = await Run("ledger", "check");
        Assert.Equal(1, orphan.ExitCode);
        Assert.Contains("0099-00000000000000aa", orphan.Out);

        var rebuild = await Run("ledger", "rebuild");
        Assert.Equal(2, rebuild.ExitCode);
        Assert.Contains("does not apply to the PostgreSQL ledger", rebuild.Error);
        AssertNoPassword(rebuild);
    }
}

/// <summary>What expkit says about PostgreSQL settings it cannot use: no server needed, and never the password.</summary>
public sealed class PostgresSettingsTests
{
    private const string Secret = "hunter2-Zk9";

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_1_and_the_message_has_no_password()
    {
        var port = ClosedPort();
        foreach (var ledger in new[] { $"Host=127.0.0.1;Port={port};Database=lab;Username=exk;Password={Secret}", $"postgres://exk:{Secret}@127.0.0.1:{port}/lab" })
        {
            var result = await Expkit.RunAsync("runs", "--ledger", ledger, "--json");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"PostgreSQL ledger 127.0.0.1:{port}/lab cannot be opened", result.Error);
            Assert.DoesNotContain(Secret, result.Error + result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_postgres_settings_are_exit_2_without_the_password()
    {
        var badKeyword = await Expkit.RunAsync("runs", "--ledger", $"Host=db;Password={Secret};Frobnicate=1");
        Assert.Equal(2, badKeyword.ExitCode);
        Assert.Contains("not a valid PostgreSQL connection string", badKeyword.Error);
        Assert.DoesNotContain(Secret, badKeyword.Error, StringComparison.Ordinal);

        var badUri = await Expkit.RunAsync("runs", "--ledger", $"postgres://exk:{Secret}@db/lab?frobnicate={Secret}");
        Assert.Equal(2, badUri.ExitCode);
        Assert.Contains("frobnicate", badUri.Error);
        Assert.DoesNotContain(Secret, badUri.Error, StringComparison.Ordinal);

        Assert.Equal(2, (await Expkit.RunAsync("runs", "--ledger", "Host=db;Database=lab", "--schema", "Bad-Name")).ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("runs", "--ledger", "some/ledger.db", "--schema", "exk")).ExitCode);
        var noConnection = await Expkit.RunInAsync(Path.GetTempPath(), new Dictionary<string, string> { ["ExperimentKit__Backend"] = "Postgres" }, "runs");
        Assert.Equal(2, noConnection.ExitCode);
        Assert.Contains("ConnectionStrings__ExperimentKit", noConnection.Error);
        Assert.Equal(2, (await Expkit.RunInAsync(Path.GetTempPath(), new Dictionary<string, string> { ["ExperimentKit__Backend"] = "Oracle" }, "runs")).ExitCode);
    }

    [Fact]
    public void Uris_become_npgsql_connection_strings()
    {
        var b = PostgresUri.Parse("postgresql://ex%40k:p%3Ass@db.lab:6432/my%20db?sslmode=verify-full&application_name=expkit&Pooling=false", "--ledger");
        Assert.Equal(("ex@k", "p:ss", "db.lab", 6432, "my db", SslMode.VerifyFull, "expkit", false), (b.Username, b.Password, b.Host, b.Port, b.Database, b.SslMode, b.ApplicationName, b.Pooling));
        var v6 = PostgresUri.Parse("postgres://[::1]:5433/lab", "--ledger");
        Assert.Equal(("::1", 5433), (v6.Host, v6.Port));
        Assert.Equal("h1:5432,h2:5433", PostgresUri.Parse("postgres://h1:5432,h2:5433/lab", "--ledger").Host);
        Assert.True(LedgerAccess.IsPostgres("Host=db;Database=lab"));
        Assert.True(LedgerAccess.IsPostgres("server = db ; database=lab"));
        Assert.False(LedgerAccess.IsPostgres("results/ledger.db"));
        Assert.False(LedgerAccess.IsPostgres("runs;v=2.db"));
    }
}
