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

// dotnet run -c Release -- [--points 5000] [--workers 1,2,4] [--parallelism 2] [--dir <folder for the run roots>]
//   For each worker count: a fresh schema, that many worker processes (this program in "worker" mode, each a
//   hosted sweep with MaxParallelism = --parallelism) sharing one --points no-op sweep. Reports the sweep span
//   (first claim to last completion, in the server's clock), runs/s over it, exk_claim calls/s over it (claims
//   that found the point held by another worker count too), the steady state (runs/s while every worker was
//   claiming: from the last worker's first claim to the first worker's last completion), server transactions
//   per run (one per statement: the round trips that did work), CPU per run of the workers and of the private
//   cluster's processes, each worker's start-up (process start to its first claim), and wall time including
//   process start-up. --dir puts the run folders elsewhere (a tmpfs such as /dev/shm takes the file system out).
// worker --schema S --points N --parallelism P --root R     one worker (used by the above); prints its CPU time
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
var dir = Arg("dir") ?? Path.GetTempPath();
await using var server = await PostgresServer.SharedAsync();
var postmaster = await PostmasterAsync(server);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; load before: {Load()}");
Console.WriteLine($"server: {(server.IsPrivate ? "private cluster started by this benchmark (fsync off)" : "EXPERIMENTKIT_POSTGRES")}; {points} no-op points, MaxParallelism {parallelism} per worker; run folders under {dir}");
Console.WriteLine();
Console.WriteLine("| workers | sweep span s | runs/s | exk_claim calls/s | steady runs/s | xacts/run | worker CPU µs/run | server CPU µs/run | start-up s (max) | CPU ms of a worker with nothing to run | wall s (with start-up) | load before → after |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var workers in counts)
{
    var schema = PostgresServer.NewSchema();
    var root = Path.Combine(dir, "exk-bench-" + schema);
    var loadBefore = Load();
    var xactsBefore = await CommitsAsync(server);
    var serverBefore = ServerCpu(postmaster);
    var clock = Stopwatch.StartNew();
    var processes = Enumerable.Range(0, workers).Select(_ => StartWorker(schema, points, parallelism, root)).ToList();
    var workerCpu = TimeSpan.Zero;
    var started = new List<(int Pid, DateTimeOffset Start)>();
    foreach (var process in processes)
    {
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"a worker exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            return 1;
        }

        // "cpu-ms <n> start-unix-ms <n>", the worker's last line.
        var parts = output.Trim().Split('\n')[^1].Split(' ');
        workerCpu += TimeSpan.FromMilliseconds(double.Parse(parts[1], CultureInfo.InvariantCulture));
        started.Add((process.Id, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[3], CultureInfo.InvariantCulture))));
    }

    var wall = clock.Elapsed;
    var xacts = await CommitsAsync(server) - xactsBefore;
    var serverCpu = ServerCpu(postmaster) - serverBefore;
    var m = await MeasureAsync(server, schema, started);
    if (m.Completed != points)
    {
        Console.Error.WriteLine($"{m.Completed} of {points} points completed");
        return 1;
    }

    // The fixed cost of a worker process: one more worker on the completed sweep (start, bulk status check, nothing to run, stop).
    var again = StartWorker(schema, points, parallelism, root);
    var againOutput = await again.StandardOutput.ReadToEndAsync();
    await again.WaitForExitAsync();
    var fixedCpu = TimeSpan.FromMilliseconds(double.Parse(againOutput.Trim().Split('\n')[^1].Split(' ')[1], CultureInfo.InvariantCulture));
    Console.WriteLine(
        $"| {workers} | {m.Span.TotalSeconds:F2} | {points / m.Span.TotalSeconds:F0} | {m.Claims / m.Span.TotalSeconds:F0} | {m.Steady:F0} | {(double)xacts / points:F2} | "
        + $"{workerCpu.TotalMicroseconds / points:F0} | {(postmaster > 0 ? (serverCpu.TotalMicroseconds / points).ToString("F0", CultureInfo.InvariantCulture) : "?")} | {m.StartUp.TotalSeconds:F2} | {fixedCpu.TotalMilliseconds:F0} | {wall.TotalSeconds:F2} | {loadBefore} → {Load()} |");
    if (Environment.GetEnvironmentVariable("EXK_BENCH_KEEP") == "1")
    {
        Console.WriteLine($"kept schema {schema}");
    }
    else
    {
        await server.DropSchemaAsync(schema);
    }

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
    var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
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

static async Task<(TimeSpan Span, long Completed, long Claims, double Steady, TimeSpan StartUp)> MeasureAsync(PostgresServer server, string schema, List<(int Pid, DateTimeOffset Start)> workers)
{
    await using var connection = new NpgsqlConnection(server.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        $"SELECT extract(epoch FROM max(finished) - min(started))::float8, count(*) FILTER (WHERE status = 2), " +
        $"(SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions WHERE schemaname = '{schema}' AND funcname = 'exk_claim') FROM \"{schema}\".runs",
        connection);
    TimeSpan span;
    long completed, claims;
    await using (var reader = await command.ExecuteReaderAsync())
    {
        await reader.ReadAsync();
        (span, completed, claims) = (TimeSpan.FromSeconds(reader.GetDouble(0)), reader.GetInt64(1), reader.GetInt64(2));
    }

    // Steady state: from the moment the last worker made its first claim to the moment the first worker made its
    // last completion, every worker was claiming; runs completed in that window per second of it.
    await using var perWorker = new NpgsqlCommand($"SELECT owner_pid, min(started), max(finished) FROM \"{schema}\".runs GROUP BY owner_pid", connection);
    var firsts = new Dictionary<int, (DateTime First, DateTime Last)>();
    await using (var reader = await perWorker.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            firsts[reader.GetInt32(0)] = (reader.GetDateTime(1), reader.GetDateTime(2));
        }
    }

    var startUp = workers.Where(w => firsts.ContainsKey(w.Pid)).Select(w => new DateTimeOffset(firsts[w.Pid].First, TimeSpan.Zero) - w.Start).DefaultIfEmpty().Max();
    var from = firsts.Values.Max(f => f.First);
    var to = firsts.Values.Min(f => f.Last);
    var steady = double.NaN;
    if (to > from)
    {
        await using var window = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".runs WHERE finished > @from AND finished <= @to", connection);
        window.Parameters.AddWithValue("from", from);
        window.Parameters.AddWithValue("to", to);
        steady = Convert.ToInt64(await window.ExecuteScalarAsync(), CultureInfo.InvariantCulture) / (to - from).TotalSeconds;
    }

    return (span, completed, claims, steady, startUp);
}

// Committed transactions in the database: one per autocommit statement, so per run it counts the round trips that did work.
static async Task<long> CommitsAsync(PostgresServer server)
{
    await using var connection = new NpgsqlConnection(server.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
    await Task.Delay(1100); // backends report their statistics at most every second (and when they exit)
    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

// The private cluster's postmaster (its children's CPU is what the server spent), or 0 when the server is not ours.
static async Task<int> PostmasterAsync(PostgresServer server)
{
    if (!server.IsPrivate)
    {
        return 0;
    }

    await using var connection = new NpgsqlConnection(server.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("SHOW data_directory", connection);
    var data = (string)(await command.ExecuteScalarAsync())!;
    try
    {
        return int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return 0;
    }
}

// CPU of the postmaster, its live children (backends, checkpointer, ...) and its exited children (backends that closed).
static TimeSpan ServerCpu(int postmaster)
{
    if (postmaster <= 0)
    {
        return TimeSpan.Zero;
    }

    static long[] Stat(string path)
    {
        var text = File.ReadAllText(path);
        return text[(text.LastIndexOf(')') + 2)..].Split(' ').Select(f => long.TryParse(f, out var v) ? v : 0).ToArray();
    }

    // After the ")": [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime (clock ticks).
    var self = Stat($"/proc/{postmaster}/stat");
    long ticks = self[11] + self[12] + self[13] + self[14];
    foreach (var proc in Directory.GetDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(proc), out _))
        {
            continue;
        }

        try
        {
            var s = Stat(Path.Combine(proc, "stat"));
            if (s[1] == postmaster)
            {
                ticks += s[11] + s[12];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    return TimeSpan.FromSeconds(ticks / 100.0);
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
    // The content root is the worker's own folder, as in a deployed worker. The default (the current folder)
    // made the host watch it for appsettings changes: an inotify watch on every folder under it, seconds of
    // system CPU per process when the benchmark was started from a large tree (a repository with bin/obj, /tmp).
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings, ContentRootPath = AppContext.BaseDirectory });
    builder.Services.AddExperimentKit(builder.Configuration, []).AddExperiment<NoopParams, NoopRunner>(NoopSweep.Of(points)).AddPostgresLedger();
    using var host = builder.Build();
    await host.RunAsync();
    using var self = Process.GetCurrentProcess();
    Console.WriteLine($"cpu-ms {self.TotalProcessorTime.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} start-unix-ms {new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds()}");
    return Environment.ExitCode;
}
