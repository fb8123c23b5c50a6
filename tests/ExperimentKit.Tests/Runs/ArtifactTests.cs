namespace ExperimentKit.Tests.Runs;

public class ArtifactTests
{
    [Theory]
    [InlineData("..")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a\\..\\..\\b")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("C:\\x")]
    [InlineData("C:x")]
    [InlineData("\\\\server\\share\\x")]
    [InlineData("./x")]
    [InlineData("a//b")]
    [InlineData("plots/")]
    [InlineData("a\0b")]
    [InlineData("loss.png.tmp-0a1b")]
    public async Task Names_that_could_escape_files_are_refused(string name)
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        bool called = false;
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => run.AddFileAsync(name, (_, _) =>
        {
            called = true;
            return Task.CompletedTask;
        }));
        Assert.Equal("name", ex.ParamName);
        Assert.False(called);
        Assert.Empty(run.Files);
        Assert.False(Directory.Exists(Path.Combine(run.RunDirectory, "files")));
    }

    [Fact]
    public async Task Refusals_say_what_is_wrong()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => run.AddFileAsync("a/../../b", (_, _) => Task.CompletedTask));
        Assert.Contains("'..'", ex.Message);
        ex = await Assert.ThrowsAsync<ArgumentException>(() => run.AddFileAsync("/etc/passwd", (_, _) => Task.CompletedTask));
        Assert.Contains("absolute", ex.Message);
        ex = await Assert.ThrowsAsync<ArgumentException>(() => run.AddFileAsync("C:\\x", (_, _) => Task.CompletedTask));
        Assert.Contains("':'", ex.Message);
    }

    [Fact]
    public async Task A_name_in_a_sub_folder_is_written_and_recorded()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        string path = await run.AddFileAsync("plots/loss.png", async (stream, ct) => await stream.WriteAsync(new byte[] { 1, 2, 3 }, ct));

        Assert.Equal(Path.Combine(run.RunDirectory, "files", "plots", "loss.png"), path);
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(path));
        var file = Assert.Single(run.Files);
        Assert.Equal("plots/loss.png", file.Key);
        Assert.Equal($"train/0007-{RunTestRoot.Hash}/files/plots/loss.png", file.Value);
        Assert.Empty(Directory.EnumerateFiles(run.RunDirectory, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Backslashes_are_folder_separators_everywhere()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        string path = await run.AddFileAsync("tables\\final.csv", (stream, ct) => stream.WriteAsync("a,b\n"u8.ToArray(), ct).AsTask());
        Assert.Equal(Path.Combine(run.RunDirectory, "files", "tables", "final.csv"), path);
        Assert.Equal("tables/final.csv", Assert.Single(run.Files).Key);
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_and_an_earlier_version_survives()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        await run.AddFileAsync("model.bin", (s, ct) => s.WriteAsync("old"u8.ToArray(), ct).AsTask());

        await Assert.ThrowsAsync<InvalidOperationException>(() => run.AddFileAsync("model.bin", async (s, ct) =>
        {
            await s.WriteAsync("new but"u8.ToArray(), ct);
            throw new InvalidOperationException("boom");
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.AddFileAsync("other.bin", (s, _) => throw new InvalidOperationException("boom")));

        string files = Path.Combine(run.RunDirectory, "files");
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(files, "model.bin")));
        Assert.False(File.Exists(Path.Combine(files, "other.bin")));
        Assert.Empty(Directory.EnumerateFiles(files, "*.tmp-*"));
        Assert.Equal(["model.bin"], run.Files.Keys);
    }

    [Fact]
    public async Task Writing_the_same_name_again_replaces_it_and_a_writer_may_dispose_its_stream()
    {
        await using var root = new RunTestRoot();
        root.Options.Durability = Durability.Full;
        var run = root.Context();
        await run.AddFileAsync("notes.txt", (s, ct) => s.WriteAsync("one"u8.ToArray(), ct).AsTask());
        string path = await run.AddFileAsync("notes.txt", async (s, ct) =>
        {
            await using var writer = new StreamWriter(s);
            await writer.WriteAsync("two");
        });
        Assert.Equal("two", await File.ReadAllTextAsync(path));
        Assert.Single(run.Files);
    }

    [Fact]
    public async Task The_result_path_uses_the_experiment_extension()
    {
        await using var root = new RunTestRoot();
        root.Options.ResultExtensions["train"] = ".npy";
        var run = root.Context();
        Assert.Equal(Path.Combine(run.RunDirectory, "result.npy"), run.ResultPath);
        Assert.Equal(Path.Combine(root.Path, "train", $"0007-{RunTestRoot.Hash}"), run.RunDirectory);
        Assert.Equal(("train", 1, 7L, RunTestRoot.Hash, 1, false), (run.Experiment, run.Version, run.Uid, run.Hash, run.Attempt, run.IsResume));
    }

    [Fact]
    public async Task Summary_is_thread_safe_and_snapshotted()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        Parallel.For(0, 1000, i => run.Summary[$"m{i % 50}"] = i);
        run.Summary["best"] = double.NaN;
        var snapshot = run.SummarySnapshot();
        Assert.Equal(51, snapshot.Count);
        run.Summary.Clear();
        Assert.Equal(51, snapshot.Count);
    }
}
