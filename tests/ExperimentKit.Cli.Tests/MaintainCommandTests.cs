using System.Text.Json;

namespace ExperimentKit.Cli.Tests;

/// <summary>Commands that change a root: note, tag, submit, delete, gc, ledger check and rebuild. Each test has its own root.</summary>
public sealed class MaintainCommandTests
{
    [Fact]
    public async Task Note_and_tag_annotate_runs_that_runs_can_filter()
    {
        await using var root = await TestRoot.CreateAsync();
        Assert.Equal(0, (await Expkit.RunAsync("note", "--root", root.Root, "clitest/train:2", "best so far")).ExitCode);
        Assert.Equal(0, (await Expkit.RunAsync("tag", "--root", root.Root, "clitest/train:2", "baseline", "keep")).ExitCode);
        var tagged = await Expkit.RunAsync("runs", root.Root, "--tag", "baseline", "--json");
        var row = Assert.Single(JsonDocument.Parse(tagged.Out).RootElement.EnumerateArray());
        Assert.Equal("best so far", row.GetProperty("note").GetString());
        Assert.Equal(["baseline", "keep"], row.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, (await Expkit.RunAsync("tag", "--root", root.Root, "clitest/train:2", " spaced")).ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("note", "--root", root.Root, "clitest/train:2")).ExitCode);
    }

    [Fact]
    public async Task Submit_queues_a_sweep_that_queue_shows()
    {
        await using var root = await TestRoot.CreateAsync();
        var submit = await Expkit.RunAsync("submit", "--root", root.Root, "clitest/train", "LearningRate=0.5,0.05", "Model.Layers=range(1,3)");
        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("queued #1", submit.Out);
        var queue = await Expkit.RunAsync("queue", root.Root);
        Assert.Contains("Queued", queue.Out);
        Assert.Contains("LearningRate=0.5,0.05 Model.Layers=range(1,3)", queue.Out);
        var queueJson = await Expkit.RunAsync("queue", root.Root, "--json");
        Assert.Equal(0, queueJson.ExitCode);
        var queued = Assert.Single(JsonDocument.Parse(queueJson.Out).RootElement.GetProperty("submissions").EnumerateArray());
        Assert.Equal(1, queued.GetProperty("id").GetInt64());
        Assert.Equal("Queued", queued.GetProperty("status").GetString());
        Assert.Equal("clitest/train", queued.GetProperty("experiment").GetString());
        Assert.Equal(["LearningRate=0.5,0.05", "Model.Layers=range(1,3)"], queued.GetProperty("assignments").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, queued.GetProperty("taken").ValueKind);
        Assert.Empty(JsonDocument.Parse(queueJson.Out).RootElement.GetProperty("running").EnumerateArray());
        var typo = await Expkit.RunAsync("submit", "--root", root.Root, "clitest/train", "LernRate=1");
        Assert.Equal(2, typo.ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("submit", "--root", root.Root, "clitest/train", "LearningRate")).ExitCode);
    }

    [Fact]
    public async Task Delete_removes_the_row_and_with_files_the_folder()
    {
        await using var root = await TestRoot.CreateAsync();
        var folder = Directory.GetDirectories(Path.Combine(root.Root, "clitest", "train"), "0003-*").Single();
        Assert.Equal(0, (await Expkit.RunAsync("delete", "--root", root.Root, "clitest/train:3")).ExitCode);
        Assert.True(Directory.Exists(folder));
        Assert.Equal(1, (await Expkit.RunAsync("show", "--root", root.Root, "clitest/train:3")).ExitCode);
        Assert.Equal(0, (await Expkit.RunAsync("delete", "--root", root.Root, "clitest/train:4", "--files")).ExitCode);
        Assert.Empty(Directory.GetDirectories(Path.Combine(root.Root, "clitest", "train"), "0004-*"));
    }

    [Fact]
    public async Task Gc_is_a_dry_run_unless_applied()
    {
        await using var root = await TestRoot.CreateAsync();
        await Expkit.RunAsync("delete", "--root", root.Root, "clitest/train:3");
        var orphan = Directory.GetDirectories(Path.Combine(root.Root, "clitest", "train"), "0003-*").Single();
        var checkpoints = Path.Combine(Directory.GetDirectories(Path.Combine(root.Root, "clitest", "train"), "0001-*").Single(), "checkpoints");
        Assert.True(Directory.Exists(checkpoints));

        var dry = await Expkit.RunAsync("gc", root.Root);
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("orphan folder: clitest/train/0003-", dry.Out);
        Assert.Contains("dry run", dry.Out);
        Assert.True(Directory.Exists(orphan));
        Assert.True(Directory.Exists(checkpoints));

        var applied = await Expkit.RunAsync("gc", root.Root, "--apply");
        Assert.Equal(0, applied.ExitCode);
        Assert.False(Directory.Exists(orphan));
        Assert.False(Directory.Exists(checkpoints));
        Assert.Contains("nothing to clean up", (await Expkit.RunAsync("gc", root.Root)).Out);
    }

    [Fact]
    public async Task Ledger_check_reports_orphan_folders_and_missing_folders()
    {
        await using var root = await TestRoot.CreateAsync();
        Assert.Equal(0, (await Expkit.RunAsync("ledger", "check", root.Root)).ExitCode);
        await Expkit.RunAsync("delete", "--root", root.Root, "clitest/train:3");
        Directory.Delete(Directory.GetDirectories(Path.Combine(root.Root, "clitest", "train"), "0002-*").Single(), recursive: true);
        var check = await Expkit.RunAsync("ledger", "check", root.Root);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("ok  SQLite integrity check", check.Out);
        Assert.Contains("clitest/train:0002", check.Out);
        Assert.Contains("clitest/train/0003-", check.Out);
    }

    [Fact]
    public async Task Ledger_rebuild_reproduces_the_rows_into_a_new_file()
    {
        await using var root = await TestRoot.CreateAsync();
        var before = JsonDocument.Parse((await Expkit.RunAsync("runs", root.Root, "--json")).Out).RootElement.EnumerateArray().ToList();
        var live = Path.Combine(root.Root, "ledger.db");
        var liveBytes = File.ReadAllBytes(live);
        var target = Path.Combine(root.Root, "rebuilt.db");

        var rebuild = await Expkit.RunAsync("ledger", "rebuild", root.Root, "--out", target);
        Assert.Equal(0, rebuild.ExitCode);
        Assert.Contains("rebuilt 6 run(s)", rebuild.Out);
        Assert.Contains("mv ledger.db ledger.old.db", rebuild.Out);
        Assert.Equal(liveBytes, File.ReadAllBytes(live));
        Assert.Equal(2, (await Expkit.RunAsync("ledger", "rebuild", root.Root, "--out", target)).ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("ledger", "rebuild", root.Root, "--out", live)).ExitCode);

        var after = JsonDocument.Parse((await Expkit.RunAsync("runs", root.Root, "--ledger", target, "--json")).Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(before.Count, after.Count);
        foreach (var (a, b) in before.Zip(after))
        {
            foreach (var property in new[] { "experiment", "version", "uid", "hash", "status", "attempt", "params", "summary", "error" })
            {
                Assert.Equal(a.GetProperty(property).GetRawText(), b.GetProperty(property).GetRawText());
            }
        }

        // The rebuilt ledger continues each experiment's uid sequence.
        await using var store = await ExperimentStore.OpenAsync(root.Root, await SqliteRunLedger.OpenAsync(target));
        var next = await store.RunOrRetrieveAsync(new CliParams(0.3, new CliModel(2)), TestRoot.Train);
        Assert.Equal(6, next.Uid);
    }
}
