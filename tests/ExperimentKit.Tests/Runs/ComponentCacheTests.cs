using System.Diagnostics;

namespace ExperimentKit.Tests.Runs;

public class ComponentCacheTests
{
    private static readonly Dictionary<string, string> Hashes = new() { ["model"] = "1a2b3c4d", ["data"] = "5e6f7a8b" };

    private static ComponentCache NewCache(RunTestRoot root) => new(Path.Combine(root.Path, "train"), Hashes);

    private static string FinalFolder(RunTestRoot root, string component = "data")
        => Path.Combine(root.Path, "train", "_components", component, Hashes[component]);

    private static string LockFile(RunTestRoot root, string component = "data")
        => FinalFolder(root, component) + ".lock";

    [Fact]
    public async Task The_context_cache_uses_the_run_components()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        string folder = await run.Components.GetOrCreateAsync("model", (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "weights.bin"), "w", ct));
        Assert.Equal(FinalFolder(root, "model"), folder);
        Assert.Equal("w", await File.ReadAllTextAsync(Path.Combine(folder, "weights.bin")));
    }

    [Fact]
    public async Task Create_runs_once_under_parallel_callers_with_separate_caches()
    {
        await using var root = new RunTestRoot();
        int calls = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => NewCache(root).GetOrCreateAsync("data", async (dir, ct) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(200, ct);
            await File.WriteAllTextAsync(Path.Combine(dir, "prepared.txt"), "ok", ct);
        }))));

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal(FinalFolder(root), r));
        Assert.Equal("ok", await File.ReadAllTextAsync(Path.Combine(FinalFolder(root), "prepared.txt")));
        Assert.Equal([Hashes["data"]], Directory.GetDirectories(Path.GetDirectoryName(FinalFolder(root))!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_create_leaves_nothing_and_the_next_call_runs_it_again()
    {
        await using var root = new RunTestRoot();
        var cache = NewCache(root);
        int calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrCreateAsync("data", async (dir, ct) =>
        {
            Interlocked.Increment(ref calls);
            await File.WriteAllTextAsync(Path.Combine(dir, "half.txt"), "half", ct);
            throw new InvalidOperationException("download failed");
        }));

        string parent = Path.GetDirectoryName(FinalFolder(root))!;
        Assert.False(Directory.Exists(FinalFolder(root)));
        Assert.Empty(Directory.GetDirectories(parent));

        string folder = await cache.GetOrCreateAsync("data", (dir, ct) =>
        {
            Interlocked.Increment(ref calls);
            return File.WriteAllTextAsync(Path.Combine(dir, "full.txt"), "full", ct);
        });
        Assert.Equal(2, calls);
        Assert.Equal(["full.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Leftovers_of_a_killed_create_are_removed_and_never_used()
    {
        await using var root = new RunTestRoot();
        string leftover = FinalFolder(root) + ".tmp-deadbeef0000";
        Directory.CreateDirectory(leftover);
        await File.WriteAllTextAsync(Path.Combine(leftover, "half.txt"), "half");

        string folder = await NewCache(root).GetOrCreateAsync("data", (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "full.txt"), "full", ct));
        Assert.False(Directory.Exists(leftover));
        Assert.Equal(["full.txt"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_existing_folder_is_returned_without_taking_the_lock()
    {
        await using var root = new RunTestRoot();
        Directory.CreateDirectory(FinalFolder(root));
        using var held = new FileStream(LockFile(root), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var task = NewCache(root).GetOrCreateAsync("data", (_, _) => throw new InvalidOperationException("must not run"));
        Assert.True(task.IsCompleted);
        Assert.Equal(FinalFolder(root), await task);
    }

    [Fact]
    public async Task A_caller_waits_while_the_lock_file_is_held_and_can_give_up()
    {
        await using var root = new RunTestRoot();
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile(root))!);
        int calls = 0;
        Task<string> waiting;
        using (new FileStream(LockFile(root), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewCache(root).GetOrCreateAsync("data", (_, _) =>
            {
                calls++;
                return Task.CompletedTask;
            }, cts.Token));

            waiting = NewCache(root).GetOrCreateAsync("data", (_, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.CompletedTask;
            });
            await Task.Delay(300);
            Assert.False(waiting.IsCompleted);
            Assert.Equal(0, calls);
        }

        Assert.Equal(FinalFolder(root), await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, calls);
    }

    [RequiresToolFact("python3")]
    public async Task The_lock_is_an_flock_that_another_process_respects()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // Windows locks by sharing mode, which Python's fcntl does not have.
        }

        await using var root = new RunTestRoot();
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile(root))!);
        const string script = """
            import fcntl, sys
            f = open(sys.argv[1], "a+")
            fcntl.flock(f, fcntl.LOCK_EX)
            print("locked", flush=True)
            sys.stdin.read()
            """;
        var start = new ProcessStartInfo(ExternalTools.Find("python3")!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(LockFile(root));
        using var python = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", await python.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));

            // .NET's FileShare.None takes the same kind of lock: it is refused while Python holds it.
            Assert.ThrowsAny<IOException>(() => new FileStream(LockFile(root), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None).Dispose());

            int calls = 0;
            var waiting = NewCache(root).GetOrCreateAsync("data", (_, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.CompletedTask;
            });
            await Task.Delay(500);
            Assert.False(waiting.IsCompleted);
            Assert.Equal(0, calls);

            python.StandardInput.Close(); // Python exits and its lock goes with it.
            Assert.Equal(FinalFolder(root), await waiting.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(1, calls);
        }
        finally
        {
            if (!python.HasExited)
            {
                python.Kill();
            }
        }
    }

    [Fact]
    public async Task Unknown_components_are_refused_with_the_known_ones()
    {
        await using var root = new RunTestRoot();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => NewCache(root).GetOrCreateAsync("optimizer", (_, _) => Task.CompletedTask));
        Assert.Contains("'optimizer'", ex.Message);
        Assert.Contains("'data', 'model'", ex.Message);

        var none = new ComponentCache(Path.Combine(root.Path, "train"), new Dictionary<string, string>());
        ex = await Assert.ThrowsAsync<ArgumentException>(() => none.GetOrCreateAsync("model", (_, _) => Task.CompletedTask));
        Assert.Contains("no [Component]", ex.Message);
    }
}
