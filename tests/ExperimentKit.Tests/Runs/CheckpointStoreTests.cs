using System.Text;

namespace ExperimentKit.Tests.Runs;

public class CheckpointStoreTests
{
    private static Func<Stream, CancellationToken, Task> Text(string text)
        => (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    private static async Task<string> ReadText(Checkpoint checkpoint)
    {
        await using var stream = checkpoint.OpenRead();
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Saved_checkpoints_are_listed_and_loaded()
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointKeepLast = 0;
        var run = root.Context();
        var store = run.Checkpoints;

        Assert.Empty(store.List());
        Assert.Null(await store.LatestAsync());
        Assert.Null(await store.LoadAsync(100));

        var saved = await store.SaveAsync(20, Text("twenty"));
        await store.SaveAsync(10, Text("ten"));
        await store.SaveAsync(30, Text("thirty"));

        Assert.Equal(20, saved.Step);
        Assert.Equal(Path.Combine(run.RunDirectory, "checkpoints", "step_00000020.ckpt"), saved.Path);
        Assert.Equal([10L, 20L, 30L], store.List().Select(c => c.Step));
        Assert.Equal(30, (await store.LatestAsync())!.Step);
        Assert.Equal("thirty", await ReadText((await store.LatestAsync())!));

        Assert.Equal(20, (await store.LoadAsync(20))!.Step);
        Assert.Equal(20, (await store.LoadAsync(29))!.Step);
        Assert.Equal("twenty", await ReadText((await store.LoadAsync(25))!));
        Assert.Equal(30, (await store.LoadAsync(long.MaxValue))!.Step);
        Assert.Null(await store.LoadAsync(9));
    }

    [Fact]
    public async Task Saving_a_step_again_replaces_it()
    {
        await using var root = new RunTestRoot();
        var store = root.Context().Checkpoints;
        await store.SaveAsync(5, Text("first"));
        await store.SaveAsync(5, Text("second"));
        var only = Assert.Single(store.List());
        Assert.Equal("second", await ReadText(only));
    }

    [Fact]
    public async Task Only_the_newest_K_are_kept()
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointKeepLast = 2;
        var store = root.Context().Checkpoints;
        for (long step = 1; step <= 5; step++)
        {
            await store.SaveAsync(step * 100, Text($"s{step}"));
        }

        Assert.Equal([400L, 500L], store.List().Select(c => c.Step));
        Assert.Equal(2, Directory.GetFiles(store.Directory).Length);
    }

    [Fact]
    public async Task Keep_zero_keeps_everything()
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointKeepLast = 0;
        var store = root.Context().Checkpoints;
        for (long step = 0; step < 6; step++)
        {
            await store.SaveAsync(step, Text("x"));
        }

        Assert.Equal(6, store.List().Count);
    }

    [Fact]
    public async Task MaybeSave_saves_on_multiples_of_the_interval_including_step_zero()
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointEvery = 10;
        root.Options.CheckpointKeepLast = 0;
        var store = root.Context().Checkpoints;
        var saved = new List<long>();
        for (long step = 0; step <= 25; step++)
        {
            if (await store.MaybeSaveAsync(step, Text("x")) is { } checkpoint)
            {
                saved.Add(checkpoint.Step);
            }
        }

        Assert.Equal([0L, 10L, 20L], saved);
        Assert.Equal([0L, 10L, 20L], store.List().Select(c => c.Step));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task MaybeSave_never_saves_without_a_positive_interval(int every)
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointEvery = every;
        var store = root.Context().Checkpoints;
        bool called = false;
        for (long step = 0; step <= 10; step++)
        {
            Assert.Null(await store.MaybeSaveAsync(step, (_, _) =>
            {
                called = true;
                return Task.CompletedTask;
            }));
        }

        Assert.False(called);
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task Steps_beyond_eight_digits_sort_by_number()
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointKeepLast = 2;
        var store = root.Context().Checkpoints;
        await store.SaveAsync(99_999_999, Text("a"));
        await store.SaveAsync(100_000_000, Text("b"));
        await store.SaveAsync(2_000_000_000_000, Text("c"));
        await store.SaveAsync(5, Text("old")); // older than the rest: pruned at once

        Assert.Equal([100_000_000L, 2_000_000_000_000L], store.List().Select(c => c.Step));
        Assert.Equal("step_100000000.ckpt", Path.GetFileName(store.List()[0].Path));
        Assert.Equal(2_000_000_000_000L, (await store.LatestAsync())!.Step);
        Assert.Equal(100_000_000L, (await store.LoadAsync(1_999_999_999_999))!.Step);
    }

    [Fact]
    public async Task Temporary_leftovers_are_ignored_and_cleaned_by_the_next_save()
    {
        await using var root = new RunTestRoot();
        var store = root.Context().Checkpoints;
        await store.SaveAsync(10, Text("ten"));
        string leftover = Path.Combine(store.Directory, "step_00000050.ckpt.tmp-0123456789ab");
        await File.WriteAllTextAsync(leftover, "half a checkp");
        await File.WriteAllTextAsync(Path.Combine(store.Directory, "notes.txt"), "not a checkpoint");
        await File.WriteAllTextAsync(Path.Combine(store.Directory, "step_x1.ckpt"), "not a checkpoint");

        Assert.Equal([10L], store.List().Select(c => c.Step));
        Assert.Equal(10, (await store.LatestAsync())!.Step);
        Assert.Equal(10, (await store.LoadAsync(60))!.Step);

        await store.SaveAsync(20, Text("twenty"));
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(Path.Combine(store.Directory, "notes.txt")));
    }

    [Fact]
    public async Task A_write_that_throws_mid_way_leaves_no_checkpoint_under_the_real_name()
    {
        await using var root = new RunTestRoot();
        var store = root.Context().Checkpoints;
        await store.SaveAsync(10, Text("ten"));

        var ex = await Assert.ThrowsAsync<IOException>(() => store.SaveAsync(20, async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[100_000], ct);
            throw new IOException("disk on fire");
        }));
        Assert.Equal("disk on fire", ex.Message);

        Assert.False(File.Exists(Path.Combine(store.Directory, "step_00000020.ckpt")));
        Assert.Empty(Directory.EnumerateFiles(store.Directory, "*.tmp-*"));
        Assert.Equal([10L], store.List().Select(c => c.Step));
        Assert.Equal("ten", await ReadText((await store.LatestAsync())!));
    }

    [Fact]
    public async Task A_cancelled_save_leaves_nothing()
    {
        await using var root = new RunTestRoot();
        var store = root.Context().Checkpoints;
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync(1, async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[10], ct);
            await cts.CancelAsync();
        }, cts.Token));
        Assert.Empty(Directory.EnumerateFiles(store.Directory));
    }

    [Fact]
    public async Task Concurrent_saves_of_different_steps_all_land()
    {
        await using var root = new RunTestRoot();
        root.Options.CheckpointKeepLast = 0;
        root.Options.Durability = Durability.Full;
        var store = root.Context().Checkpoints;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.SaveAsync(i, async (s, ct) =>
        {
            await s.WriteAsync(new byte[50_000], ct);
            await Task.Delay(20, ct);
            await s.WriteAsync(new byte[] { (byte)i }, ct);
        }))));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), store.List().Select(c => c.Step));
        Assert.Empty(Directory.EnumerateFiles(store.Directory, "*.tmp-*"));
    }

    [Fact]
    public async Task Negative_steps_are_refused()
    {
        await using var root = new RunTestRoot();
        var store = root.Context().Checkpoints;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SaveAsync(-1, Text("x")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.MaybeSaveAsync(-1, Text("x")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.LoadAsync(-1));
    }
}
