using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ExperimentKit;
using ExperimentKit.Bench.Host;
using ExperimentKit.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// Modes (run in Release; every scale is an argument):
//   throughput [--points 10000] [--parallelism 2] [--repeat 3] [--durability Normal|Full]
//       the same no-op runner in a plain loop, through the store (1 task, then --parallelism tasks), and
//       through the host with MaxParallelism = --parallelism, each on a fresh root; then a host restart on the
//       completed root.
//   restart [--points 1000000] [--parallelism 2] [--repeat 2] [--root DIR]
//       fills a ledger with --points completed runs of the sweep's real hashes (claim + complete through
//       IRunLedger; reused when --root already holds a ledger), then starts the host on it in a fresh process
//       per repeat: time until every point is skipped, and that process's peak memory.
//   host [--points 10000] [--parallelism 2] [--durability Normal|Full]
//       one host run on a fresh root, nothing else (for a profiler)
//   fill --root DIR --points N          the fill step alone
//   restart-child --root DIR --points N [--parallelism 2]   one restart, in this process (used by restart)
var mode = args.Length > 0 ? args[0] : "help";
var options = Options.Parse(args.Skip(1));
switch (mode)
{
    case "throughput":
        await Modes.ThroughputAsync(options);
        break;
    case "host":
        await Modes.HostOnceAsync(options);
        break;
    case "restart":
        await Modes.RestartAsync(options);
        break;
    case "fill":
        await Modes.FillAsync(options.Require("root"), options.Int("points", 1_000_000));
        break;
    case "restart-child":
        return await Modes.RestartChildAsync(options);
    default:
        Console.WriteLine("usage: throughput [--points N] [--parallelism P] [--repeat R] [--durability Normal|Full]");
        Console.WriteLine("       host [--points N] [--parallelism P] [--durability Normal|Full]");
        Console.WriteLine("       restart [--points N] [--parallelism P] [--repeat R] [--root DIR]");
        Console.WriteLine("       fill --root DIR --points N");
        return mode == "help" ? 0 : 2;
}

return 0;

internal static class Modes
{
    public static async Task ThroughputAsync(Options options)
    {
        var points = options.Int("points", 10_000);
        var parallelism = options.Int("parallelism", 2);
        var repeat = options.Int("repeat", 3);
        var durability = Enum.Parse<Durability>(options.Get("durability") ?? "Normal");
        var sweep = NoopSweep.Of(points);
        Machine.Print();
        Console.WriteLine($"throughput: {points} no-op points, durability {durability}, MaxParallelism {parallelism}, {repeat} repeats");
        Console.WriteLine();
        Console.WriteLine("| repeat | path | wall s | runs/s | wall µs/run | CPU µs/run | alloc KiB/run |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        using var work = new Scratch(options.Get("dir"));

        // One small warm-up of each path so the first repeat does not pay the JIT alone.
        var warm = NoopSweep.Of(200);
        await DirectAsync(warm, work.New("warm-direct"));
        await StoreAsync(warm, work.New("warm-store"), 1, durability);
        await HostAsync(work.New("warm-host"), warm, parallelism, durability);

        for (var r = 1; r <= repeat; r++)
        {
            var direct = await DirectAsync(sweep, work.New($"direct-{r}"));
            Row(r, "runner in a plain loop (1 task)", direct, points);
            var store1 = await StoreAsync(sweep, work.New($"store1-{r}"), 1, durability);
            Row(r, "store.RunOrRetrieveAsync loop (1 task)", store1, points);
            var storeP = await StoreAsync(sweep, work.New($"storeP-{r}"), parallelism, durability);
            Row(r, $"store.RunOrRetrieveAsync, Parallel.ForEachAsync ({parallelism} tasks)", storeP, points);
            var root = work.New($"host-{r}");
            var calls = NoopRunner.Calls;
            var host = await HostAsync(root, sweep, parallelism, durability);
            Check(host, completed: points, skipped: 0, NoopRunner.Calls - calls);
            Row(r, $"host end to end, MaxParallelism {parallelism}", host.Total, points);
            Row(r, "host sweep only (worker's own elapsed)", host.Total with { Wall = host.Sweep }, points);
            Console.WriteLine($"| {r} | overhead over the plain loop | | | {(host.Total.Wall - direct.Wall).TotalMicroseconds / points:F0} | {(host.Total.Cpu - direct.Cpu).TotalMicroseconds / points:F0} | |");
            var again = await HostAsync(root, sweep, parallelism, durability);
            Check(again, completed: 0, skipped: points, 0);
            Console.WriteLine($"| {r} | host restart on the completed root (all skipped) | {again.Total.Wall.TotalSeconds:F2} | | | | |");
        }
    }

    public static async Task HostOnceAsync(Options options)
    {
        var points = options.Int("points", 10_000);
        var parallelism = options.Int("parallelism", 2);
        var durability = Enum.Parse<Durability>(options.Get("durability") ?? "Normal");
        using var work = new Scratch(options.Get("dir"));
        var result = await HostAsync(work.New("host"), NoopSweep.Of(points), parallelism, durability);
        Check(result, completed: points, skipped: 0, NoopRunner.Calls);
        Row(1, $"host end to end, MaxParallelism {parallelism}", result.Total, points);
        Row(1, "host sweep only (worker's own elapsed)", result.Total with { Wall = result.Sweep }, points);
    }

    public static async Task RestartAsync(Options options)
    {
        var points = options.Int("points", 1_000_000);
        var parallelism = options.Int("parallelism", 2);
        var repeat = options.Int("repeat", 2);
        using var work = new Scratch(options.Get("root") is { } given ? Path.GetDirectoryName(Path.GetFullPath(given)) : null);
        var root = options.Get("root") is { } r ? Path.GetFullPath(r) : work.New("restart");
        Machine.Print();
        if (File.Exists(Path.Combine(root, ExperimentStore.LedgerFileName)))
        {
            Console.WriteLine($"reusing the ledger already filled under --root ({new FileInfo(Path.Combine(root, ExperimentStore.LedgerFileName)).Length / (1024 * 1024)} MiB)");
        }
        else
        {
            await FillAsync(root, points);
        }

        Console.WriteLine();
        Console.WriteLine($"restart: host on a completed sweep of {points} points, MaxParallelism {parallelism}, one fresh process per repeat");
        Console.WriteLine();
        Console.WriteLine("| repeat | process start → all skipped s | host sweep s | process wall s | process CPU s | peak RSS (VmHWM) MiB | GC heap at end MiB | allocated MiB | skipped | run |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 1; i <= repeat; i++)
        {
            var launch = Stopwatch.StartNew();
            var (exit, output) = await Child.RunAsync(["restart-child", "--root", root, "--points", points.ToString(CultureInfo.InvariantCulture), "--parallelism", parallelism.ToString(CultureInfo.InvariantCulture)]);
            launch.Stop();
            var result = output.Split('\n').LastOrDefault(static l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            if (exit != 0 || result is null)
            {
                Console.WriteLine($"restart child failed (exit {exit}):\n{output}");
                Environment.ExitCode = 1;
                return;
            }

            var v = result[7..].Split(' ').Select(static kv => kv.Split('=')).ToDictionary(static kv => kv[0], static kv => kv[1]);
            Console.WriteLine($"| {i} | {v["toSkipped"]} | {v["sweep"]} | {launch.Elapsed.TotalSeconds:F2} | {v["cpu"]} | {v["hwm"]} | {v["heap"]} | {v["alloc"]} | {v["skipped"]} | {v["completed"]} |");
        }
    }

    public static async Task<int> RestartChildAsync(Options options)
    {
        var root = options.Require("root");
        var points = options.Int("points", 1_000_000);
        var parallelism = options.Int("parallelism", 2);
        var result = await HostAsync(root, NoopSweep.Of(points), parallelism, Durability.Normal);
        using var self = Process.GetCurrentProcess();
        var toSkipped = result.FinishedAt - new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
        var hwm = Machine.VmHwmKiB();
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT toSkipped={toSkipped.TotalSeconds:F2} sweep={result.Sweep.TotalSeconds:F2} cpu={self.TotalProcessorTime.TotalSeconds:F2} hwm={hwm / 1024.0:F0} heap={info.HeapSizeBytes / (1024.0 * 1024):F0} alloc={GC.GetTotalAllocatedBytes() / (1024.0 * 1024):F0} skipped={result.Skipped} completed={result.Completed} calls={NoopRunner.Calls} exit={result.ExitCode}"));
        return result.Skipped == points && result.Completed == 0 && NoopRunner.Calls == 0 && result.ExitCode == 0 ? 0 : 1;
    }

    /// <summary>Fills the ledger with every point of the sweep as a completed run, through <see cref="IRunLedger"/> claim + complete.</summary>
    public static async Task FillAsync(string root, int points)
    {
        var clock = Stopwatch.StartNew();
        await using var store = await ExperimentStore.OpenAsync(root);
        var ledger = store.Ledger;
        var descriptor = NoopParams.Descriptor;
        var fingerprint = RunnerFingerprints.For(typeof(NoopRunner));
        var completion = new RunCompletion { Elapsed = TimeSpan.FromMilliseconds(1) };
        var n = 0;
        foreach (var p in NoopSweep.Of(points))
        {
            var owner = RunOwner.NewForCurrentProcess();
            var key = new RunKey(descriptor.ExperimentName!, descriptor.Version, p.ComputeHash().ToString());
            var claim = await ledger.ClaimAsync(new RunClaimRequest
            {
                Key = key,
                ParamsJson = ParameterJson.Serialize(p),
                CanonicalJson = p.ToCanonicalJson(),
                ComponentHashes = p.ComputeComponentHashes(),
                Owner = owner,
                Lease = store.Options.LeaseDuration,
                ResultFileName = "result.json",
                RunnerFingerprint = fingerprint,
            });
            if (claim.Outcome == ClaimOutcome.Claimed)
            {
                await ledger.CompleteAsync(key, owner.Token, completion);
            }

            if (++n % 100_000 == 0)
            {
                Console.WriteLine($"fill: {n} completed rows, {n / clock.Elapsed.TotalSeconds:F0} rows/s");
            }
        }

        Console.WriteLine($"fill: {points} completed rows (claim + complete through IRunLedger, no run folders) in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task<Measured> DirectAsync(Sweep<NoopParams> sweep, string folder)
    {
        var m = Measure.Start();
        var i = 0;
        foreach (var p in sweep)
        {
            await NoopRunner.WriteResultAsync(p, Path.Combine(folder, (i++).ToString(CultureInfo.InvariantCulture) + ".json"), CancellationToken.None);
        }

        return m.Stop();
    }

    private static async Task<Measured> StoreAsync(Sweep<NoopParams> sweep, string root, int tasks, Durability durability)
    {
        var m = Measure.Start();
        await using (var store = await ExperimentStore.OpenAsync(root, new ExperimentStoreOptions { Durability = durability }))
        {
            var runner = new NoopRunner();
            if (tasks == 1)
            {
                foreach (var p in sweep)
                {
                    await store.RunOrRetrieveAsync(p, runner);
                }
            }
            else
            {
                await Parallel.ForEachAsync(sweep, new ParallelOptions { MaxDegreeOfParallelism = tasks }, async (p, token) => await store.RunOrRetrieveAsync(p, runner, cancellationToken: token));
            }
        }

        return m.Stop();
    }

    /// <summary>Builds, runs and stops a host with the worker on <paramref name="root"/>: what a user's <c>Program.cs</c> does.</summary>
    private static async Task<HostResult> HostAsync(string root, Sweep<NoopParams> sweep, int parallelism, Durability durability)
    {
        var m = Measure.Start();
        var capture = new SweepFinishedCapture();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ExperimentKit:Root"] = root,
            ["ExperimentKit:MaxParallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
            ["ExperimentKit:Durability"] = durability.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ExperimentKit"] = "Information",
        });

        // The worker's own log lines go to stderr, as a redirected production host would write them; the tables go to stdout.
        builder.Services.Configure<ConsoleLoggerOptions>(static o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddProvider(capture);
        builder.Services.AddExperimentKit(builder.Configuration, []).AddExperiment<NoopParams, NoopRunner>(sweep);
        using (var host = builder.Build())
        {
            await host.RunAsync();
        }

        var exit = Environment.ExitCode;
        Environment.ExitCode = 0;
        var total = m.Stop();
        return new HostResult(total, capture.Elapsed, capture.At, capture.Completed, capture.Skipped, capture.Failed, exit);
    }

    private static void Check(HostResult result, long completed, long skipped, long calls)
    {
        if (result.ExitCode != 0 || result.Completed != completed || result.Skipped != skipped || calls != completed)
        {
            throw new InvalidOperationException($"The host did not do what was expected: exit {result.ExitCode}, {result.Completed} completed (expected {completed}), {result.Skipped} skipped (expected {skipped}), {calls} runner calls.");
        }
    }

    private static void Row(int repeat, string path, Measured m, int points)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {repeat} | {path} | {m.Wall.TotalSeconds:F2} | {points / m.Wall.TotalSeconds:F0} | {m.Wall.TotalMicroseconds / points:F0} | {m.Cpu.TotalMicroseconds / points:F0} | {m.Allocated / 1024.0 / points:F1} |"));
}

internal readonly record struct Measured(TimeSpan Wall, TimeSpan Cpu, long Allocated);

internal readonly record struct Measure(long Timestamp, TimeSpan Cpu, long Allocated)
{
    public static Measure Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
    }

    public Measured Stop() => new(
        Stopwatch.GetElapsedTime(Timestamp),
        Process.GetCurrentProcess().TotalProcessorTime - Cpu,
        GC.GetTotalAllocatedBytes(precise: true) - Allocated);
}

internal sealed record HostResult(Measured Total, TimeSpan Sweep, DateTimeOffset FinishedAt, long Completed, long Skipped, long Failed, int ExitCode);

/// <summary>Picks the worker's "Sweep of ... done" line (event 1001) out of the log: its counts and elapsed time, and when it was written.</summary>
internal sealed class SweepFinishedCapture : ILoggerProvider, ILogger
{
    public TimeSpan Elapsed { get; private set; }

    public DateTimeOffset At { get; private set; }

    public long Completed { get; private set; }

    public long Skipped { get; private set; }

    public long Failed { get; private set; }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != 1001 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        At = DateTimeOffset.UtcNow;
        foreach (var (name, value) in values)
        {
            switch (name)
            {
                case "Elapsed": Elapsed = (TimeSpan)value!; break;
                case "Completed": Completed = (long)value!; break;
                case "Skipped": Skipped = (long)value!; break;
                case "Failed": Failed = (long)value!; break;
            }
        }
    }
}

internal static class Machine
{
    public static void Print()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
    }

    /// <summary>Peak resident set size (VmHWM) of this process, in KiB.</summary>
    public static long VmHwmKiB()
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(static l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1024;
    }
}

internal static class Child
{
    /// <summary>Runs this benchmark again in a fresh process (its own peak memory) and returns its exit code and stdout.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Child).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}

/// <summary>A scratch folder for roots, deleted at the end unless it was given.</summary>
internal sealed class Scratch : IDisposable
{
    private readonly bool _owned;

    public Scratch(string? parent)
    {
        _owned = parent is null;
        Folder = parent ?? Path.Combine(Path.GetTempPath(), "exk-hostbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string New(string name)
    {
        var path = Path.Combine(Folder, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        if (_owned)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options Parse(IEnumerable<string> args)
    {
        var options = new Options();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current.StartsWith("--", StringComparison.Ordinal) ? e.Current[2..] : throw new ArgumentException($"Expected --name value, got '{e.Current}'.");
            options._values[name] = e.MoveNext() ? e.Current : throw new ArgumentException($"--{name} needs a value.");
        }

        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) => Get(name) is { } text ? int.Parse(text.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;
}
