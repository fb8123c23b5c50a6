using System.Diagnostics;
using System.Globalization;
using ExperimentKit;
using Microsoft.Data.Sqlite;

// Misses: every run is new (claim + complete), measured in windows as the ledger grows.
// Hits: GetAsync of random existing keys on a ledger of many rows (filled in bulk, same row shape).
// Arguments: [misses] [hit rows] [folder to keep the ledgers in, for inspection].
var misses = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var hitRows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var keep = args.Length > 2;
var folder = keep ? Path.GetFullPath(args[2]) : Path.Combine(Path.GetTempPath(), "exk-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    await MeasureMissesAsync(Path.Combine(folder, "misses.db"), misses);
    await MeasureHitsAsync(Path.Combine(folder, "hits.db"), hitRows);
}
finally
{
    if (!keep)
    {
        Directory.Delete(folder, recursive: true);
    }
}

static async Task MeasureMissesAsync(string path, int total)
{
    const int window = 2000;
    await using var ledger = await SqliteRunLedger.OpenAsync(path);
    var owner = RunOwner.NewForCurrentProcess();
    var completion = new RunCompletion
    {
        Elapsed = TimeSpan.FromSeconds(12.3),
        Summary = new Dictionary<string, double> { ["loss"] = 0.0123, ["accuracy"] = 0.987 },
        Files = new Dictionary<string, string> { ["model"] = "train/0001-0000000000000001/files/model.bin" },
    };
    var sw = new Stopwatch();
    var checkpoints = new HashSet<int> { 1000, 10_000, 100_000, total };
    var n = 0;
    while (n < total)
    {
        var size = n;
        var batch = Math.Min(window, total - n);
        sw.Restart();
        for (var i = 0; i < batch; i++)
        {
            n++;
            var request = Run.Claim(n, owner);
            await ledger.ClaimAsync(request);
            await ledger.CompleteAsync(request.Key, request.Owner.Token, completion);
        }

        sw.Stop();
        if (checkpoints.Any(c => c > size && c <= n) || n == window)
        {
            Console.WriteLine($"misses: {batch / sw.Elapsed.TotalSeconds,8:F0}/s (claim + complete) with {size,7} runs before the window");
        }
    }

    await ledger.DisposeAsync();
    Console.WriteLine($"bytes per run: {new FileInfo(path).Length / total} ({total} completed runs, ledger.db {new FileInfo(path).Length / 1024} KiB)");
}

static async Task MeasureHitsAsync(string path, int rows)
{
    var sw = Stopwatch.StartNew();
    await (await SqliteRunLedger.OpenAsync(path)).DisposeAsync();
    Run.Fill(path, rows);
    Console.WriteLine($"filled {rows} rows in {sw.Elapsed.TotalSeconds:F1} s ({new FileInfo(path).Length / rows} bytes per row)");

    await using var ledger = await SqliteRunLedger.OpenAsync(path);
    var random = new Random(1);
    const int lookups = 300_000;
    var keys = Enumerable.Range(0, lookups).Select(_ => new RunKey("train", 1, Run.Hash(random.Next(1, rows + 1)))).ToArray();

    // Warm the page cache and the JIT as a real sweep would be warm.
    for (var i = 0; i < 20_000; i++)
    {
        await ledger.GetAsync(keys[i]);
    }

    sw.Restart();
    foreach (var key in keys)
    {
        if (await ledger.GetAsync(key) is null)
        {
            throw new InvalidOperationException($"missing {key}");
        }
    }

    sw.Stop();
    Console.WriteLine($"hits: {lookups / sw.Elapsed.TotalSeconds,8:F0}/s (GetAsync, one task) on {rows} rows");

    sw.Restart();
    var perTask = lookups / 4;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
    {
        for (var i = t * perTask; i < (t + 1) * perTask; i++)
        {
            await ledger.GetAsync(keys[i]);
        }
    })));
    sw.Stop();
    Console.WriteLine($"hits: {perTask * 4 / sw.Elapsed.TotalSeconds,8:F0}/s (GetAsync, four tasks sharing the ledger) on {rows} rows");

    var statusKeys = keys.Take(100_000).Select(k => k.Hash).ToArray();
    sw.Restart();
    var statuses = await ledger.GetStatusesAsync("train", 1, statusKeys);
    sw.Stop();
    Console.WriteLine($"statuses: {statusKeys.Length / sw.Elapsed.TotalSeconds,8:F0} hashes/s (GetStatusesAsync of {statusKeys.Length}, {statuses.Count} found)");
}

/// <summary>A realistic ten-member parameter record, as the ledger stores it.</summary>
internal static class Run
{
    public static string Hash(int n) => ((ulong)n * 0x9E3779B97F4A7C15UL).ToString("x16", CultureInfo.InvariantCulture);

    public static string Exact(int n) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"LearningRate\":{0.0001 * (1 + (n % 97))},\"Epochs\":{10 + (n % 50)},\"BatchSize\":64,\"Optimizer\":\"adam\",\"Dropout\":0.1,\"WeightDecay\":0.0001,\"Model\":{{\"Layers\":{2 + (n % 8)},\"Width\":{64 << (n % 3)}}},\"Dataset\":\"mnist\",\"Seed\":{n},\"Augment\":true}}");

    public static string Canonical(int n) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"Augment\":true,\"BatchSize\":64,\"Dataset\":\"mnist\",\"Dropout\":0.1,\"Epochs\":{10 + (n % 50)},\"LearningRate\":{0.0001 * (1 + (n % 97))},\"Model\":{{\"Layers\":{2 + (n % 8)},\"Width\":{64 << (n % 3)}}},\"Optimizer\":\"adam\",\"Seed\":{n},\"WeightDecay\":0.0001}}");

    public static Dictionary<string, string> Components(int n) => new()
    {
        ["model"] = ((uint)((2 + (n % 8)) * 1000 + (64 << (n % 3)))).ToString("x8", CultureInfo.InvariantCulture),
        ["data"] = "5eed0da7",
    };

    public static RunClaimRequest Claim(int n, RunOwner owner) => new()
    {
        Key = new RunKey("train", 1, Hash(n)),
        ParamsJson = Exact(n),
        CanonicalJson = Canonical(n),
        ComponentHashes = Components(n),
        Owner = owner with { Token = Guid.NewGuid().ToString("N") },
        Lease = TimeSpan.FromSeconds(30),
        ResultFileName = "result.json",
        RunnerFingerprint = "3f2a9c1b7d4e6f80",
        Metadata = new Dictionary<string, string> { ["git"] = "9fceb02d", ["host"] = "lab-01" },
    };

    /// <summary>Bulk-fills completed runs with the shape the ledger writes (one transaction).</summary>
    public static void Fill(string path, int rows)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using (var experiment = connection.CreateCommand())
        {
            experiment.CommandText = "INSERT INTO experiments (name, last_uid) VALUES ('train', $n)";
            experiment.Parameters.AddWithValue("$n", rows);
            experiment.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO runs (experiment_id, version, hash, uid, status, attempt, owner_host, owner_pid, owner_start_ms, owner_token,
                created_ms, started_ms, finished_ms, last_used_ms, elapsed_ms, params_json, canonical_json, component_hashes,
                result_file, files, summary, metadata, runner_fingerprint)
            VALUES (1, 1, $h, $u, 2, 1, 'lab-01', 4242, 1760000000000, $t, $now, $now, $now, $now, 12300, $p, $c, $k, $r,
                $f, '{"accuracy":0.987,"loss":0.0123}', '{"git":"9fceb02d","host":"lab-01"}', '3f2a9c1b7d4e6f80')
            """;
        var h = insert.Parameters.Add("$h", SqliteType.Text);
        var u = insert.Parameters.Add("$u", SqliteType.Integer);
        var t = insert.Parameters.Add("$t", SqliteType.Text);
        var now = insert.Parameters.Add("$now", SqliteType.Integer);
        var p = insert.Parameters.Add("$p", SqliteType.Text);
        var c = insert.Parameters.Add("$c", SqliteType.Text);
        var k = insert.Parameters.Add("$k", SqliteType.Text);
        var r = insert.Parameters.Add("$r", SqliteType.Text);
        var f = insert.Parameters.Add("$f", SqliteType.Text);
        insert.Prepare();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var n = 1; n <= rows; n++)
        {
            h.Value = Hash(n);
            u.Value = n;
            t.Value = Guid.NewGuid().ToString("N");
            now.Value = start + n;
            p.Value = Exact(n);
            c.Value = Canonical(n);
            var comps = Components(n);
            k.Value = $"{{\"data\":\"{comps["data"]}\",\"model\":\"{comps["model"]}\"}}";
            r.Value = $"train/{n:D4}-{Hash(n)}/result.json";
            f.Value = $"{{\"model\":\"train/{n:D4}-{Hash(n)}/files/model.bin\"}}";
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
