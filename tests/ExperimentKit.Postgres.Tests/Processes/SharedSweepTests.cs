using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExperimentKit.Hosting;
using ExperimentKit.Hosting.Tests.Processes;
using Xunit.Abstractions;

namespace ExperimentKit.Postgres.Tests.Processes;

/// <summary>
/// Worker processes on one PostgreSQL database, as on several machines: they share one sweep, survive a killed
/// colleague and a restarted server, and never run a point twice.
/// </summary>
[Collection(nameof(PostgresProcessTests))]
public sealed partial class SharedSweepTests(ITestOutputHelper output)
{
    private const string Secret = "N0t-In-Any-Log-7f3a";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [PostgresProcessFact]
    public async Task Four_workers_share_a_2000_point_sweep_and_run_every_point_exactly_once()
    {
        const int points = 2000;
        var server = await PostgresServer.SharedAsync();
        var schema = PostgresServer.NewSchema();
        using var folder = new SweepFolder();
        var args = Args(server, schema, folder, $"Index=range(0,{points})", "Steps=1", "--Soak:DelayMs=0", "--ExperimentKit:MaxParallelism=2");

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start(folder.Path, args)).ToList();
        var ran = 0;
        try
        {
            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync(Patience) == ExitCodes.Success, worker.Describe());
                var (run, skipped, failed) = Finished(worker);
                Assert.Equal(0, failed);
                Assert.Equal(points, run + skipped);
                Assert.DoesNotContain(Secret, worker.AllText, StringComparison.Ordinal);
                ran += run;
                output.WriteLine($"worker ran {run}, skipped {skipped}");
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        output.WriteLine($"4 workers, {points} points: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(points, ran);

        // One start and one completion per point, over all processes.
        var journals = Journal.ReadAll(folder.Journal);
        Assert.Equal(points, journals.Count);
        Assert.All(journals.Values, j => Assert.Single(j.Starts));
        Assert.All(journals.Values, j => Assert.Equal(1, j.Done));

        await using var ledger = await OpenAsync(server, schema);
        var rows = await ledger.ListAsync(new RunQuery { Experiment = "soak", OrderBy = RunOrder.Uid });
        Assert.Equal(points, rows.Count);
        Assert.All(rows, r => Assert.Equal((RunStatus.Completed, 1), (r.Status, r.Attempt)));
        Assert.Equal(Enumerable.Range(1, points).Select(i => (long)i), rows.Select(r => r.Uid));
        await server.DropSchemaAsync(schema);
    }

    [PostgresProcessFact]
    public async Task Runs_of_a_killed_worker_are_taken_over_after_the_lease_and_resume_from_their_checkpoints()
    {
        const int points = 6;
        var server = await PostgresServer.SharedAsync();
        var schema = PostgresServer.NewSchema();
        using var folder = new SweepFolder();

        // LeaseOnly: the workers judge each other by leases alone, as on different machines (on one host a dead
        // owner's runs would be taken at once).
        var args = Args(
            server, schema, folder, $"Index=range(0,{points})", "Steps=60", "--Soak:DelayMs=50",
            "--ExperimentKit:MaxParallelism=2", "--ExperimentKit:LeaseDuration=00:00:03", "--ExperimentKit:Postgres:LeaseOnly=true");

        using var doomed = WorkerProcess.Start(folder.Path, args);
        Assert.True(await doomed.WaitForAsync(l => l.Contains(" saved 5", StringComparison.Ordinal), Patience), doomed.Describe());
        using var survivor = WorkerProcess.Start(folder.Path, args);
        Assert.True(await survivor.WaitForAsync(l => l.Contains(" saved ", StringComparison.Ordinal), Patience), survivor.Describe());
        doomed.Kill();
        var killed = DateTimeOffset.UtcNow;

        Assert.Equal(ExitCodes.Success, await survivor.WaitForExitAsync(Patience));
        var journals = Journal.ReadAll(folder.Journal);
        Assert.Equal(points, journals.Count);
        Assert.All(journals.Values, j => Assert.Equal(1, j.Done));

        // Journal.Read checked each resume continued right after its last saved step; the killed worker's runs
        // were resumed, not restarted, and only after its lease ran out.
        var resumed = journals.Values.Where(j => j.Starts.Count > 1).ToList();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, j => Assert.True(j.Starts[^1].IsResume && j.Starts[^1].From > 0, string.Join(" | ", j.Lines)));

        await using var ledger = await OpenAsync(server, schema);
        var rows = await ledger.ListAsync(new RunQuery { Experiment = "soak" });
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        var takenOver = rows.Where(r => r.Attempt == 2).ToList();
        Assert.Equal(resumed.Count, takenOver.Count);
        Assert.All(takenOver, r => Assert.True(r.Started >= killed + TimeSpan.FromSeconds(1), $"taken over at {r.Started:O}, killed at {killed:O}: before the lease ran out"));
        await server.DropSchemaAsync(schema);
    }

    [PostgresProcessFact]
    public async Task Workers_ride_out_a_server_restart_mid_sweep_without_crashing_or_running_a_point_twice()
    {
        const int points = 80;
        await using var server = PostgresServer.CanStartPrivate ? await PostgresServer.StartPrivateAsync() : await PostgresServer.SharedAsync();
        var schema = PostgresServer.NewSchema();
        using var folder = new SweepFolder();
        var args = Args(server, schema, folder, $"Index=range(0,{points})", "Steps=4", "--Soak:DelayMs=40", "--ExperimentKit:MaxParallelism=2");

        var workers = Enumerable.Range(0, 2).Select(_ => WorkerProcess.Start(folder.Path, args)).ToList();
        try
        {
            Assert.True(await workers[0].WaitForAsync(l => l.EndsWith(" done", StringComparison.Ordinal), Patience), workers[0].Describe());
            if (server.IsPrivate)
            {
                await server.RestartAsync();
            }
            else
            {
                await TerminateBackendsAsync(server);
            }

            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync(Patience) == ExitCodes.Success, worker.Describe());
                Assert.Equal(0, Finished(worker).Failed);
            }

            Assert.Contains(workers, w => w.Output.Any(l => l.Contains("retrying in", StringComparison.Ordinal)));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        var journals = Journal.ReadAll(folder.Journal);
        Assert.Equal(points, journals.Count);
        Assert.All(journals.Values, j => Assert.Single(j.Starts));
        Assert.All(journals.Values, j => Assert.Equal(1, j.Done));
        await using var ledger = await OpenAsync(server, schema);
        var rows = await ledger.ListAsync(new RunQuery { Experiment = "soak" });
        Assert.Equal(points, rows.Count);
        Assert.All(rows, r => Assert.Equal((RunStatus.Completed, 1), (r.Status, r.Attempt)));
    }

    [PostgresProcessFact]
    public async Task Backend_Postgres_without_AddPostgresLedger_or_a_reachable_server_stops_with_exit_code_2_and_no_password()
    {
        using var folder = new SweepFolder();
        string[] common = ["Index=range(0,3)", $"--ExperimentKit:Root={folder.Root}", "--ExperimentKit:Backend=Postgres"];

        using var unregistered = WorkerProcess.Start(folder.Path, [.. common, "--no-postgres-ledger", $"--ConnectionStrings:ExperimentKit=Host=127.0.0.1;Password={Secret}"]);
        Assert.Equal(ExitCodes.BadConfiguration, await unregistered.WaitForExitAsync(Patience));
        Assert.Contains("AddPostgresLedger()", unregistered.AllText, StringComparison.Ordinal);
        Assert.Contains("ExperimentKit.Postgres", unregistered.AllText, StringComparison.Ordinal);

        // Nothing listens on a port we just freed; the retry budget is cut to a second.
        var port = FreePort();
        using var unreachable = WorkerProcess.Start(folder.Path, [.. common, "--ExperimentKit:Postgres:RetryFor=00:00:01", $"--ConnectionStrings:ExperimentKit=Host=127.0.0.1;Port={port};Username=exk;Password={Secret}"]);
        Assert.Equal(ExitCodes.BadConfiguration, await unreachable.WaitForExitAsync(Patience));
        Assert.Contains($"127.0.0.1:{port}", unreachable.AllText, StringComparison.Ordinal);

        using var invalid = WorkerProcess.Start(folder.Path, [.. common, $"--ConnectionStrings:ExperimentKit=Host=127.0.0.1;Password={Secret};Port=not-a-port"]);
        Assert.Equal(ExitCodes.BadConfiguration, await invalid.WaitForExitAsync(Patience));

        using var missing = WorkerProcess.Start(folder.Path, common);
        Assert.Equal(ExitCodes.BadConfiguration, await missing.WaitForExitAsync(Patience));
        Assert.Contains("ConnectionStrings:ExperimentKit", missing.AllText, StringComparison.Ordinal);

        foreach (var worker in new[] { unregistered, unreachable, invalid })
        {
            Assert.DoesNotContain(Secret, worker.AllText, StringComparison.Ordinal);
            output.WriteLine(worker.AllText);
        }
    }

    private static string[] Args(PostgresServer server, string schema, SweepFolder folder, params string[] more)
        =>
        [
            .. more,
            $"--ExperimentKit:Root={folder.Root}", "--ExperimentKit:Backend=Postgres", $"--ExperimentKit:Postgres:Schema={schema}",
            $"--ConnectionStrings:ExperimentKit={server.ConnectionString};Password={Secret}", $"--Soak:Journal={folder.Journal}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ExperimentKit.Hosting=Information",
        ];

    private static Task<PostgresRunLedger> OpenAsync(PostgresServer server, string schema)
        => PostgresRunLedger.OpenAsync(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema });

    private static async Task TerminateBackendsAsync(PostgresServer server)
    {
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var kill = new Npgsql.NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ExperimentKit' AND pid <> pg_backend_pid()", connection);
        await kill.ExecuteScalarAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (int Run, int Skipped, int Failed) Finished(WorkerProcess worker)
    {
        var match = worker.Output.Select(l => FinishedLine().Match(l)).LastOrDefault(m => m.Success)
            ?? throw new InvalidOperationException("No 'Sweep of soak done' line. " + worker.Describe());
        int Int(string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return (Int("run"), Int("skipped"), Int("failed"));
    }

    [GeneratedRegex(@"Sweep of soak done: (?<run>\d+) run, (?<skipped>\d+) skipped \(already completed\), (?<failed>\d+) failed")]
    private static partial Regex FinishedLine();
}
