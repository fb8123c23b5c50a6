using System.Text.RegularExpressions;
using ExperimentKit.Postgres;
using ExperimentKit.Postgres.Tests;
using Xunit.Abstractions;

namespace ExperimentKit.Templates.Tests;

/// <summary>
/// The packages and the template as a user gets them: pack with a version no cache can hold, install the
/// template into a throw-away hive, create projects outside the repository, restore them from the packed
/// packages, build them with warnings as errors, run their sweeps twice (everything completed, then everything
/// skipped), and run the generated tests. The packing and the hive are made once (<see cref="PackedTemplate"/>)
/// and shared by the backends: sqlite always, postgres against a real server (skipped without one outside CI).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TemplateEndToEndTests(PackedTemplate packed, ITestOutputHelper output) : IClassFixture<PackedTemplate>
{
    // The template's default sweep: 3 learning rates (appsettings.json) x 2 seeds (Program.cs).
    private const int SweepPoints = 6;
    private const string Experiment = "mystudy";

    [Fact]
    public Task Packed_template_creates_a_project_that_builds_without_warnings_runs_resumes_and_tests() => KeepOnFailure(async () =>
    {
        await packed.PrepareAsync(Step);
        var version = packed.Version;
        var root = Path.Combine(packed.Work, "MyStudy");
        await Step(packed.Work, "new", "experiment", "-n", "MyStudy", "-o", root, "--tests", "--parallelism", "2",
            "--backend", "sqlite", "--no-restore", "--debug:custom-hive", packed.Hive);
        var csproj = await File.ReadAllTextAsync(Path.Combine(root, "src", "MyStudy", "MyStudy.csproj"));
        Assert.Contains($"""<PackageReference Include="ExperimentKit.Hosting" Version="{version}" />""", csproj);
        Assert.DoesNotContain("ExperimentKit.Postgres", csproj);
        Assert.True(File.Exists(Path.Combine(root, "tests", "MyStudy.Tests", "MyStudy.Tests.csproj")), "--tests gave no test project");
        Assert.Contains("\"MaxParallelism\": 2,", await File.ReadAllTextAsync(Path.Combine(root, "src", "MyStudy", "appsettings.json")));

        // Restore only from the packed packages (ExperimentKit*) and the repository's public source (the rest).
        var build = await Step(root, "build", "MyStudy.slnx", "-c", "Release", "-warnaserror", "--disable-build-servers");
        AssertNoWarnings(build);
        Assert.True(Directory.Exists(Path.Combine(packed.Temp, "nuget-packages", "experimentkit.hosting", version)),
            "ExperimentKit.Hosting was not restored from this run's packages");

        // Run the sweep: every point completed once.
        var first = await Step(root, "run", "--project", "src/MyStudy", "-c", "Release", "--no-build");
        Assert.Contains($"{SweepPoints} run, 0 skipped", first.Output);
        var ledgerPath = Path.Combine(root, "results", "ledger.db");
        var before = await ReadSqliteLedgerAsync(ledgerPath);
        AssertAllCompletedOnce(before, root);

        // Run it again: everything skipped, no runner ran (same attempt, same finish time, no new run).
        var second = await Step(root, "run", "--project", "src/MyStudy", "-c", "Release", "--no-build");
        Assert.Contains($"0 run, {SweepPoints} skipped", second.Output);
        AssertUnchanged(before, await ReadSqliteLedgerAsync(ledgerPath));

        // The generated tests pass.
        var test = await Step(root, "test", "MyStudy.slnx", "-c", "Release", "--no-build");
        Assert.Matches(new Regex(@"Failed:\s+0, Passed:\s+[1-9]"), test.Output);
    });

    [PostgresFact]
    public Task Packed_template_with_the_postgres_backend_builds_without_warnings_and_runs_and_resumes_on_a_server() => KeepOnFailure(async () =>
    {
        await packed.PrepareAsync(Step);
        var server = await packed.PostgresAsync();
        var schema = PostgresServer.NewSchema();
        try
        {
            // A second project from the same packages and hive, in a folder of its own (same nuget.config above it).
            var root = Path.Combine(packed.Work, "postgres", "MyStudy");
            await Step(packed.Work, "new", "experiment", "-n", "MyStudy", "-o", root, "--parallelism", "2",
                "--backend", "postgres", "--no-restore", "--debug:custom-hive", packed.Hive);
            var src = Path.Combine(root, "src", "MyStudy");
            Assert.Contains($"""<PackageReference Include="ExperimentKit.Postgres" Version="{packed.Version}" />""", await File.ReadAllTextAsync(Path.Combine(src, "MyStudy.csproj")));
            Assert.Contains(".AddPostgresLedger()", await File.ReadAllTextAsync(Path.Combine(src, "Program.cs")));
            Assert.Contains("\"Backend\": \"Postgres\",", await File.ReadAllTextAsync(Path.Combine(src, "appsettings.json")));

            var build = await Step(root, "build", "MyStudy.slnx", "-c", "Release", "-warnaserror", "--disable-build-servers");
            AssertNoWarnings(build);
            Assert.True(Directory.Exists(Path.Combine(packed.Temp, "nuget-packages", "experimentkit.postgres", packed.Version)),
                "ExperimentKit.Postgres was not restored from this run's packages");

            // The server and a fresh schema through the environment, as a user would set them per machine.
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__ExperimentKit"] = server.ConnectionString,
                ["ExperimentKit__Postgres__Schema"] = schema,
            };
            var first = await Step(root, environment, "run", "--project", "src/MyStudy", "-c", "Release", "--no-build");
            Assert.Contains($"{SweepPoints} run, 0 skipped", first.Output);
            Assert.False(File.Exists(Path.Combine(root, "results", "ledger.db")), "the postgres backend made a SQLite ledger");
            var before = await ReadPostgresLedgerAsync(server.ConnectionString, schema);
            AssertAllCompletedOnce(before, root);

            var second = await Step(root, environment, "run", "--project", "src/MyStudy", "-c", "Release", "--no-build");
            Assert.Contains($"0 run, {SweepPoints} skipped", second.Output);
            AssertUnchanged(before, await ReadPostgresLedgerAsync(server.ConnectionString, schema));
        }
        finally
        {
            await server.DropSchemaAsync(schema);
        }
    });

    private async Task KeepOnFailure(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch
        {
            packed.KeepForInspection();
            output.WriteLine($"Kept for inspection: {packed.Temp}");
            throw;
        }
    }

    private Task<CommandResult> Step(string workingDirectory, params string[] arguments) => Step(workingDirectory, null, arguments);

    private async Task<CommandResult> Step(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var started = DateTime.UtcNow;
        var result = await packed.Dotnet.RunAsync(workingDirectory, environment, arguments);
        output.WriteLine($"{result.Command}: exit {result.ExitCode} in {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        Assert.True(result.ExitCode == 0, result.Describe("The command failed."));
        return result;
    }

    private static void AssertAllCompletedOnce(IReadOnlyList<RunRow> rows, string root)
    {
        Assert.Equal(SweepPoints, rows.Count);
        Assert.All(rows, static r => Assert.Equal((RunStatus.Completed, 1), (r.Status, r.Attempt)));
        foreach (var row in rows)
        {
            var metrics = Path.Combine(root, "results", Path.GetDirectoryName(row.ResultFile!)!, "metrics.jsonl");
            Assert.True(new FileInfo(metrics).Length > 0, $"run {row.Uid} logged no metrics");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(metrics)!, "checkpoints")));
        }
    }

    private static void AssertUnchanged(IReadOnlyList<RunRow> before, IReadOnlyList<RunRow> after) =>
        Assert.Equal(
            before.Select(static r => (r.Key.Hash, r.Status, r.Attempt, r.Finished)).OrderBy(static r => r.Hash),
            after.Select(static r => (r.Key.Hash, r.Status, r.Attempt, r.Finished)).OrderBy(static r => r.Hash));

    internal static void AssertNoWarnings(CommandResult result) =>
        Assert.True(result.WarningLines.Count == 0, result.Describe("The output has warnings:\n" + string.Join('\n', result.WarningLines) + "\n"));

    private static async Task<IReadOnlyList<RunRow>> ReadSqliteLedgerAsync(string path)
    {
        Assert.True(File.Exists(path), $"no ledger at {path}");
        await using var ledger = await SqliteRunLedger.OpenAsync(path);
        return await ledger.ListAsync(new RunQuery { Experiment = Experiment });
    }

    private static async Task<IReadOnlyList<RunRow>> ReadPostgresLedgerAsync(string connectionString, string schema)
    {
        await using var ledger = await PostgresRunLedger.OpenAsync(new PostgresLedgerOptions { ConnectionString = connectionString, Schema = schema });
        return await ledger.ListAsync(new RunQuery { Experiment = Experiment });
    }
}
