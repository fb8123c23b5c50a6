using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ExperimentKit;
using ExperimentKit.Bench.Store;

// End to end through ExperimentStore, with a no-op runner that writes its result file:
//   misses      new runs through RunOrRetrieveAsync (claim, run folder, runner, complete), measured in windows
//               at given ledger sizes, from one task and from several (Parallel.ForEachAsync);
//   hits        RetrieveAsync and RunOrRetrieveAsync of completed runs on a ledger of many runs, filled through
//               IRunLedger claim + complete with the benchmark record's real keys, JSON and metadata (no folders);
//   size        bytes per run of the miss ledgers (ledger.db + ledger.db-wal, after the store closed it);
//   durability  misses with Durability.Normal against Durability.Full.
// Run in Release: dotnet run -c Release -- [options]; --quick for a run of a minute or so, --help for the options.
var options = BenchOptions.Parse(args);
if (options is null)
{
    return 2;
}

Console.WriteLine($"ExperimentKit store benchmark: {BenchParams.Describe()}, no-op runner writing result.json");
Console.WriteLine($"machine: {Machine.Describe()}");
Console.WriteLine($"options: {options}");
Console.WriteLine($"load average at start: {Machine.LoadAverage()}");
Console.WriteLine();

var folder = options.Directory ?? Path.Combine(Path.GetTempPath(), "exk-storebench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    if (options.Runs("misses"))
    {
        var table = new Table("misses: new runs through RunOrRetrieveAsync (Durability.Normal)", "tasks", "ledger runs", "window", "runs/s", "µs/run", "CPU µs/run", "KB alloc/run", "load");
        var sizes = new Table("ledger size after the miss runs (ledger.db + ledger.db-wal, after close)", "tasks", "runs", "ledger.db", "-wal", "bytes/run");
        foreach (var tasks in options.Tasks)
        {
            var result = await Misses.RunAsync(Path.Combine(folder, $"misses-{tasks}t"), Durability.Normal, tasks, options.MissesAt, options.Window, table);
            sizes.Add(tasks, result.Runs, Bytes(result.LedgerBytes), Bytes(result.WalBytes), ((result.LedgerBytes + result.WalBytes) / (double)result.Runs).ToString("F0", CultureInfo.InvariantCulture));
            if (options.Directory is null)
            {
                Directory.Delete(Path.Combine(folder, $"misses-{tasks}t"), recursive: true);
            }
        }

        table.Print();
        sizes.Print();
    }

    if (options.Runs("durability"))
    {
        var table = new Table("durability: new runs through RunOrRetrieveAsync, Normal against Full", "durability", "tasks", "ledger runs", "window", "runs/s", "µs/run", "CPU µs/run", "load");
        foreach (var tasks in options.DurabilityTasks)
        {
            foreach (var durability in new[] { Durability.Normal, Durability.Full })
            {
                var root = Path.Combine(folder, $"durability-{durability}-{tasks}t");
                var rows = new Table(string.Empty, "tasks", "ledger runs", "window", "runs/s", "µs/run", "CPU µs/run", "KB alloc/run", "load");
                await Misses.RunAsync(root, durability, tasks, options.DurabilityAt, options.DurabilityWindow, rows);
                foreach (var row in rows.Rows)
                {
                    table.Add(durability, row[0], row[1], row[2], row[3], row[4], row[5], row[7]);
                }

                if (options.Directory is null)
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        }

        table.Print();
    }

    if (options.Runs("hits"))
    {
        await Hits.RunAsync(Path.Combine(folder, "hits"), options);
    }
}
finally
{
    if (options.Directory is null)
    {
        Directory.Delete(folder, recursive: true);
    }
}

Console.WriteLine($"load average at end: {Machine.LoadAverage()}");
return 0;

static string Bytes(long bytes) => bytes >= 10 << 20
    ? (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB"
    : (bytes / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " KiB";

/// <summary>New runs through the store, measured in windows as the ledger grows.</summary>
internal static class Misses
{
    public static async Task<(long Runs, long LedgerBytes, long WalBytes)> RunAsync(string root, Durability durability, int tasks, IReadOnlyList<int> at, int window, Table table)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var calls = 0L;
        ExperimentRunner<BenchParams> runner = (p, run, ct) =>
        {
            Interlocked.Increment(ref calls);
            File.WriteAllText(run.ResultPath, "{}");
            return Task.CompletedTask;
        };

        var store = await ExperimentStore.OpenAsync(root, new ExperimentStoreOptions { Durability = durability });
        var done = 0;
        await using (store)
        {
            foreach (var size in at)
            {
                if (done < size)
                {
                    // Grow the ledger to the window's size the same way (not timed).
                    await RunRangeAsync(store, runner, done + 1, size - done, tasks);
                    done = size;
                }

                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Machine.ProcessorTime();
                var sw = Stopwatch.StartNew();
                await RunRangeAsync(store, runner, done + 1, window, tasks);
                sw.Stop();
                cpu = Machine.ProcessorTime() - cpu;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                table.Add(
                    tasks,
                    done.ToString("N0", CultureInfo.InvariantCulture),
                    window.ToString("N0", CultureInfo.InvariantCulture),
                    (window / sw.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                    (sw.Elapsed.TotalMicroseconds / window).ToString("F0", CultureInfo.InvariantCulture),
                    (cpu.TotalMicroseconds / window).ToString("F0", CultureInfo.InvariantCulture),
                    (allocated / 1024.0 / window).ToString("F1", CultureInfo.InvariantCulture),
                    Machine.LoadAverage());
                done += window;
            }
        }

        if (Interlocked.Read(ref calls) != done)
        {
            throw new InvalidOperationException($"The runner ran {calls} times for {done} new runs.");
        }

        var ledger = new FileInfo(Path.Combine(root, ExperimentStore.LedgerFileName));
        var wal = new FileInfo(ledger.FullName + "-wal");
        return (done, ledger.Length, wal.Exists ? wal.Length : 0);
    }

    private static Task RunRangeAsync(ExperimentStore store, ExperimentRunner<BenchParams> runner, int first, int count, int tasks)
    {
        if (tasks == 1)
        {
            return SequentialAsync();
        }

        return Parallel.ForEachAsync(
            Enumerable.Range(first, count),
            new ParallelOptions { MaxDegreeOfParallelism = tasks },
            async (n, ct) => Check(await store.RunOrRetrieveAsync(BenchParams.Point(n), runner, cancellationToken: ct)));

        async Task SequentialAsync()
        {
            for (var n = first; n < first + count; n++)
            {
                Check(await store.RunOrRetrieveAsync(BenchParams.Point(n), runner));
            }
        }
    }

    private static void Check(RunRecord<BenchParams> record)
    {
        if (record.Status != RunStatus.Completed || record.Attempt != 1)
        {
            throw new InvalidOperationException($"Run {record} is not a completed first attempt.");
        }
    }
}

/// <summary>Cache hits on a large ledger.</summary>
internal static class Hits
{
    public static async Task RunAsync(string root, BenchOptions options)
    {
        var rows = options.HitRows;
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, ExperimentStore.LedgerFileName);
        await FillAsync(path, rows);
        var ledger = new FileInfo(path);
        var wal = new FileInfo(path + "-wal");
        Console.WriteLine($"hit ledger: {rows:N0} completed runs, {(ledger.Length + (wal.Exists ? wal.Length : 0)) / (double)rows:F0} bytes/run (ledger.db {ledger.Length / (1024.0 * 1024):F1} MiB)");

        var random = new Random(1);
        var points = new BenchParams[options.Lookups];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = BenchParams.Point(random.Next(1, rows + 1));
        }

        ExperimentRunner<BenchParams> mustNotRun = (p, run, ct) => throw new InvalidOperationException($"A hit ran {p.Seed}.");
        var table = new Table($"hits: completed runs on a ledger of {rows:N0} runs (Durability.Normal)", "call", "tasks", "hits", "hits/s", "µs/hit", "CPU µs/hit", "KB alloc/hit", "load");
        await using (var store = await ExperimentStore.OpenAsync(root))
        {
            // Warm the page cache and the JIT, as a re-run sweep would be warm.
            await LookUpAsync(points.AsMemory(0, Math.Min(points.Length, 20_000)), 1, p => store.RetrieveAsync(p));

            var calls = new (string Name, Func<BenchParams, Task<RunRecord<BenchParams>?>> Call)[]
            {
                ("RetrieveAsync", p => store.RetrieveAsync(p)),
                ("RunOrRetrieveAsync", async p => await store.RunOrRetrieveAsync(p, mustNotRun)),
            };
            foreach (var (name, call) in calls)
            {
                foreach (var tasks in options.Tasks)
                {
                    var allocated = GC.GetTotalAllocatedBytes(precise: true);
                    var cpu = Machine.ProcessorTime();
                    var sw = Stopwatch.StartNew();
                    await LookUpAsync(points, tasks, call);
                    sw.Stop();
                    cpu = Machine.ProcessorTime() - cpu;
                    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                    table.Add(
                        name,
                        tasks,
                        points.Length.ToString("N0", CultureInfo.InvariantCulture),
                        (points.Length / sw.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                        (sw.Elapsed.TotalMicroseconds / points.Length).ToString("F1", CultureInfo.InvariantCulture),
                        (cpu.TotalMicroseconds / points.Length).ToString("F1", CultureInfo.InvariantCulture),
                        (allocated / 1024.0 / points.Length).ToString("F1", CultureInfo.InvariantCulture),
                        Machine.LoadAverage());
                }
            }
        }

        table.Print();
    }

    private static Task LookUpAsync(Memory<BenchParams> points, int tasks, Func<BenchParams, Task<RunRecord<BenchParams>?>> call)
    {
        if (tasks == 1)
        {
            return SequentialAsync();
        }

        var slice = points.Length / tasks;
        return Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var mine = points.Slice(t * slice, t == tasks - 1 ? points.Length - (t * slice) : slice);
            for (var i = 0; i < mine.Length; i++)
            {
                Check(await call(mine.Span[i]));
            }
        })));

        async Task SequentialAsync()
        {
            for (var i = 0; i < points.Length; i++)
            {
                Check(await call(points.Span[i]));
            }
        }
    }

    private static void Check(RunRecord<BenchParams>? record)
    {
        if (record is not { Status: RunStatus.Completed })
        {
            throw new InvalidOperationException("A hit was missed.");
        }
    }

    /// <summary>
    /// Fills the ledger with completed runs of points 1..rows through IRunLedger claim + complete, with what the
    /// store would record (real keys, exact and canonical JSON, component hashes, metadata, result file), but no
    /// run folders. A ledger that already holds exactly these runs (kept with --dir) is reused.
    /// </summary>
    private static async Task FillAsync(string path, int rows)
    {
        await using (var existing = await SqliteRunLedger.OpenAsync(path))
        {
            var last = await existing.GetAsync(RunKey.For(BenchParams.Point(rows)));
            var next = await existing.GetAsync(RunKey.For(BenchParams.Point(rows + 1)));
            if (last is { Status: RunStatus.Completed } && next is null && last.Uid == rows)
            {
                Console.WriteLine($"hit ledger: reusing the {rows:N0} runs already in it");
                return;
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        await using var ledger = await SqliteRunLedger.OpenAsync(path);
        var metadata = RunMetadata.Collect();
        var noSummary = new Dictionary<string, double>();
        var noFiles = new Dictionary<string, string>();
        var sw = Stopwatch.StartNew();
        var lap = Stopwatch.StartNew();
        for (var n = 1; n <= rows; n++)
        {
            var p = BenchParams.Point(n);
            var owner = RunOwner.NewForCurrentProcess();
            var key = RunKey.For(p);
            var claim = await ledger.ClaimAsync(new RunClaimRequest
            {
                Key = key,
                ParamsJson = ParameterJson.Serialize(p),
                CanonicalJson = p.ToCanonicalJson(),
                ComponentHashes = p.ComputeComponentHashes(),
                Owner = owner,
                Lease = TimeSpan.FromSeconds(30),
                ResultFileName = "result.json",
                Metadata = metadata,
            });
            if (claim.Outcome != ClaimOutcome.Claimed)
            {
                throw new InvalidOperationException($"Point {n} was not new: {claim.Outcome}.");
            }

            await ledger.CompleteAsync(key, owner.Token, new RunCompletion { Elapsed = TimeSpan.FromMilliseconds(1), Summary = noSummary, Files = noFiles });
            if (n % 100_000 == 0)
            {
                Console.WriteLine($"  filled {n,9:N0} runs through IRunLedger claim + complete: {100_000 / lap.Elapsed.TotalSeconds,6:N0}/s in the last 100,000 (load {Machine.LoadAverage()})");
                lap.Restart();
            }
        }

        Console.WriteLine($"hit ledger: filled {rows:N0} runs in {sw.Elapsed.TotalSeconds:F0} s");
    }
}

/// <summary>The command line.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<int> MissesAt,
    int Window,
    IReadOnlyList<int> Tasks,
    int HitRows,
    int Lookups,
    IReadOnlyList<int> DurabilityAt,
    int DurabilityWindow,
    IReadOnlyList<int> DurabilityTasks,
    IReadOnlySet<string> Only,
    string? Directory)
{
    private const string Usage = """
        options (defaults in brackets):
          --misses-at N,N,...   ledger sizes at which a window of misses is measured [1000,10000,100000]
          --window N            misses per measured window [2000]
          --tasks N,N,...       concurrent tasks, for misses and hits [1,2,4]
          --hit-rows N          completed runs in the hit ledger [1000000]
          --lookups N           hits measured per call and task count [200000]
          --durability-at N,... ledger sizes of the Normal/Full comparison [1000]
          --durability-window N misses per Normal/Full window [1000]
          --durability-tasks N,... concurrent tasks of the Normal/Full comparison [1,4]
          --only a,b            run only these parts: misses, durability, hits [all]
          --dir PATH            keep the stores here; a hit ledger already there is reused [a temporary folder]
          --quick               --misses-at 1000,5000 --window 1000 --hit-rows 50000 --lookups 50000
                                --durability-window 300
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions([1000, 10_000, 100_000], 2000, [1, 2, 4], 1_000_000, 200_000, [1000], 1000, [1, 4], new HashSet<string>(), null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.Parse(Next().Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            int[] Ints() => Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToArray();
            switch (args[i])
            {
                case "--misses-at": o = o with { MissesAt = [.. Ints().Order()] }; break;
                case "--window": o = o with { Window = Int() }; break;
                case "--tasks": o = o with { Tasks = Ints() }; break;
                case "--hit-rows": o = o with { HitRows = Int() }; break;
                case "--lookups": o = o with { Lookups = Int() }; break;
                case "--durability-at": o = o with { DurabilityAt = [.. Ints().Order()] }; break;
                case "--durability-window": o = o with { DurabilityWindow = Int() }; break;
                case "--durability-tasks": o = o with { DurabilityTasks = Ints() }; break;
                case "--only": o = o with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) }; break;
                case "--dir": o = o with { Directory = Path.GetFullPath(Next()) }; break;
                case "--quick": o = o with { MissesAt = [1000, 5000], Window = 1000, HitRows = 50_000, Lookups = 50_000, DurabilityWindow = 300 }; break;
                default:
                    Console.Error.WriteLine(args[i] is "--help" or "-h" ? Usage : $"unknown option '{args[i]}'\n{Usage}");
                    return null;
            }
        }

        if (o.Window < 1 || o.HitRows < 1 || o.Lookups < 1 || o.Tasks.Any(t => t < 1) || o.DurabilityTasks.Any(t => t < 1))
        {
            Console.Error.WriteLine($"windows, rows, lookups and task counts must be positive\n{Usage}");
            return null;
        }

        return o;
    }

    public bool Runs(string part) => Only.Count == 0 || Only.Contains(part);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"misses at {string.Join("/", MissesAt)} (windows of {Window}), tasks {string.Join("/", Tasks)}; hits on {HitRows:N0} runs ({Lookups:N0} per row); durability at {string.Join("/", DurabilityAt)} (windows of {DurabilityWindow}, tasks {string.Join("/", DurabilityTasks)}); parts: {(Only.Count == 0 ? "all" : string.Join(",", Only))}");
}

/// <summary>A plain-text table, printed as Markdown.</summary>
internal sealed class Table(string title, params string[] columns)
{
    public List<string[]> Rows { get; } = [];

    public void Add(params object[] cells) => Rows.Add([.. cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? string.Empty)]);

    public void Print()
    {
        var widths = columns.Select((c, i) => Math.Max(c.Length, Rows.Count == 0 ? 0 : Rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(title);
        Console.WriteLine();
        Console.WriteLine("| " + string.Join(" | ", columns.Select((c, i) => c.PadRight(widths[i]))) + " |");
        Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => new string('-', w + 1) + (i == 0 ? "-" : ":"))) + "|");
        foreach (var row in Rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        }

        Console.WriteLine();
    }
}

/// <summary>What the numbers were measured on.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return $"{Environment.ProcessorCount} cores, {cpu}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";
    }

    /// <summary>CPU time of this process (user and system, every thread): less disturbed by other work on the machine than wall time.</summary>
    public static TimeSpan ProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>The 1-minute load average (Linux), to tell when other work shared the machine.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
