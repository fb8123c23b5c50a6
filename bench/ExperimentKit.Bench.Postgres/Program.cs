using System.Diagnostics;
using System.Globalization;
using ExperimentKit;
using ExperimentKit.Bench.Host;
using ExperimentKit.Hosting;
using ExperimentKit.Postgres;
using ExperimentKit.Postgres.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

// dotnet run -c Release -- [--points 5000] [--workers 1,2,4] [--parallelism 2]
//   For each worker count: a fresh schema, that many worker processes (this program in "worker" mode, each a
//   hosted sweep with MaxParallelism = --parallelism) sharing one --points no-op sweep. Reports the sweep span
//   (first claim to last completion, in the server's clock), runs/s over it, exk_claim calls/s over it (claims
//   that found the point held by another worker count too), and wall time including process start-up.
// worker --schema S --points N --parallelism P     one worker (used by the above)
if (args.Length > 0 && args[0] == "worker")
{
    return await WorkerAsync(Arg("schema")!, int.Parse(Arg("points")!, CultureInfo.InvariantCulture), int.Parse(Arg("parallelism") ?? "2", CultureInfo.InvariantCulture), Arg("root")!);
}

if (args.Length > 0 && args[0] == "ledger")
{
    return await LedgerAsync(int.Parse(Arg("points") ?? "3000", CultureInfo.InvariantCulture), int.Parse(Arg("parallelism") ?? "2", CultureInfo.InvariantCulture));
}

var points = int.Parse(Arg("points") ?? "5000", CultureInfo.InvariantCulture);
var parallelism = int.Parse(Arg("parallelism") ?? "2", CultureInfo.InvariantCulture);
var counts = (Arg("workers") ?? "1,2,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
await using var server = await PostgresServer.SharedAsync();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; load before: {Load()}");
Console.WriteLine($"server: {(server.IsPrivate ? "private cluster started by this benchmark (fsync off)" : "EXPERIMENTKIT_POSTGRES")}; {points} no-op points, MaxParallelism {parallelism} per worker");
Console.WriteLine();
Console.WriteLine("| workers | sweep span s | runs/s | exk_claim calls/s | wall s (with start-up) | load (1 min) after |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (var workers in counts)
{
    var schema = PostgresServer.NewSchema();
    var root = Path.Combine(Path.GetTempPath(), "exk-bench-" + schema);
    var clock = Stopwatch.StartNew();
    var processes = Enumerable.Range(0, workers).Select(_ => StartWorker(schema, points, parallelism, root)).ToList();
    foreach (var process in processes)
    {
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"a worker exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            return 1;
        }
    }

    var wall = clock.Elapsed;
    var (span, completed, claims) = await MeasureAsync(server, schema);
    if (completed != points)
    {
        Console.Error.WriteLine($"{completed} of {points} points completed");
        return 1;
    }

    Console.WriteLine($"| {workers} | {span.TotalSeconds:F2} | {points / span.TotalSeconds:F0} | {claims / span.TotalSeconds:F0} | {wall.TotalSeconds:F2} | {Load()} |");
    await server.DropSchemaAsync(schema);
    Directory.Delete(root, recursive: true);
}

return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

Process StartWorker(string schema, int points, int parallelism, string root)
{
    var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
    {
        info.ArgumentList.Add(typeof(NoopRunner).Assembly.Location);
    }

    foreach (var a in new[] { "worker", "--schema", schema, "--points", points.ToString(CultureInfo.InvariantCulture), "--parallelism", parallelism.ToString(CultureInfo.InvariantCulture), "--root", root })
    {
        info.ArgumentList.Add(a);
    }

    info.Environment[PostgresServer.EnvironmentVariable] = server.ConnectionString;
    return Process.Start(info)!;
}

static async Task<(TimeSpan Span, long Completed, long Claims)> MeasureAsync(PostgresServer server, string schema)
{
    await using var connection = new NpgsqlConnection(server.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        $"SELECT extract(epoch FROM max(finished) - min(started))::float8, count(*) FILTER (WHERE status = 2), " +
        $"(SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions WHERE schemaname = '{schema}' AND funcname = 'exk_claim') FROM \"{schema}\".runs",
        connection);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return (TimeSpan.FromSeconds(reader.GetDouble(0)), reader.GetInt64(1), reader.GetInt64(2));
}

// ledger [--points 3000] [--parallelism 2]: the ledger alone, in this process: get + claim + complete of new
// points from --parallelism tasks, and the CPU this process spent per run (the rest of the machine's is the server's).
static async Task<int> LedgerAsync(int points, int parallelism)
{
    await using var server = await PostgresServer.SharedAsync();
    var schema = PostgresServer.NewSchema();
    await using var ledger = await PostgresRunLedger.OpenAsync(new PostgresLedgerOptions { ConnectionString = server.ConnectionString, Schema = schema });
    var sweep = NoopSweep.Of(points).ToList();
    await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
    async Task RunAsync(IEnumerable<NoopParams> part)
    {
        foreach (var p in part)
        {
            var key = RunKey.For(p);
            await ledger.GetAsync(key);
            var owner = RunOwner.NewForCurrentProcess();
            var claim = await ledger.ClaimAsync(new RunClaimRequest
            {
                Key = key, ParamsJson = ParameterJson.Serialize(p), CanonicalJson = p.ToCanonicalJson(), ComponentHashes = p.ComputeComponentHashes(),
                Owner = owner, Lease = TimeSpan.FromSeconds(30), ResultFileName = "result.json",
            });
            await ledger.CompleteAsync(key, owner.Token, new RunCompletion { Elapsed = TimeSpan.FromMilliseconds(1) });
        }
    }

    await RunAsync(sweep.Take(200));
    var measured = sweep.Skip(200).ToList();
    using var self = Process.GetCurrentProcess();
    var cpu = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, parallelism).Select(i => Task.Run(() => RunAsync(measured.Where((_, j) => j % parallelism == i)))));
    var wall = clock.Elapsed;
    self.Refresh();
    var client = self.TotalProcessorTime - cpu;
    Console.WriteLine($"ledger only, {parallelism} tasks: {measured.Count / wall.TotalSeconds:F0} runs/s (get + claim + complete), client CPU {client.TotalMicroseconds / measured.Count:F0} µs/run, wall {wall.TotalMicroseconds / measured.Count:F0} µs/run, load {Load()}");
    var key0 = RunKey.For(measured[0]);
    foreach (var (name, op) in new (string, Func<Task>)[]
    {
        ("GetAsync", () => ledger.GetAsync(key0)),
        ("RenewLeaseAsync (not owner)", () => ledger.RenewLeaseAsync(key0, "x", TimeSpan.FromSeconds(1))),
        ("raw SELECT 1 on a pooled connection", async () =>
        {
            await using var c = await dataSource.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("SELECT 1", c);
            await cmd.ExecuteScalarAsync();
        }),
    })
    {
        for (var i = 0; i < 300; i++)
        {
            await op();
        }

        self.Refresh();
        var before = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++)
        {
            await op();
        }

        self.Refresh();
        Console.WriteLine($"{name}: wall {sw.Elapsed.TotalMicroseconds / 2000:F0} µs, client CPU {(self.TotalProcessorTime - before).TotalMicroseconds / 2000:F0} µs per call");
    }

    if (Environment.GetEnvironmentVariable("EXK_BENCH_KEEP") == "1")
    {
        Console.WriteLine($"kept schema {schema}");
    }
    else
    {
        await server.DropSchemaAsync(schema);
    }

    return 0;
}

static async Task<int> WorkerAsync(string schema, int points, int parallelism, string root)
{
    string[] settings =
    [
        "--ExperimentKit:Backend=Postgres", $"--ExperimentKit:Root={root}", $"--ExperimentKit:MaxParallelism={parallelism}",
        $"--ExperimentKit:Postgres:Schema={schema}", $"--ConnectionStrings:ExperimentKit={Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)}",
        "--Logging:LogLevel:Default=Warning",
    ];
    var builder = Host.CreateApplicationBuilder(settings);
    builder.Services.AddExperimentKit(builder.Configuration, []).AddExperiment<NoopParams, NoopRunner>(NoopSweep.Of(points)).AddPostgresLedger();
    using var host = builder.Build();
    await host.RunAsync();
    return Environment.ExitCode;
}
