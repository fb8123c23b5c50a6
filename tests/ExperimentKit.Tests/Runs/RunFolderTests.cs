using System.Text.Json;

namespace ExperimentKit.Tests.Runs;

public class RunFolderTests
{
    [Fact]
    public async Task Prepare_creates_the_folder_and_leaves_its_sub_folders_to_first_use()
    {
        await using var root = new RunTestRoot();
        var folder = RunFolder.Prepare(root.Path, RunTestRoot.Row(uid: 12345, experiment: "mnist/cnn/train"), root.Options);
        string expected = Path.Combine(root.Path, "mnist", "cnn", "train", "12345-" + RunTestRoot.Hash);
        Assert.Equal(expected, folder.Directory);
        Assert.True(Directory.Exists(expected));

        // checkpoints/ and files/ appear with the first checkpoint or artifact (see CheckpointStoreTests, ArtifactTests).
        Assert.False(Directory.Exists(Path.Combine(expected, "checkpoints")));
        Assert.False(Directory.Exists(Path.Combine(expected, "files")));
        Assert.Equal(Path.Combine(expected, "result.json"), folder.ResultPath);
        Assert.Equal("mnist/cnn/train/12345-" + RunTestRoot.Hash, folder.RelativeDirectory);

        // Idempotent.
        RunFolder.Prepare(root.Path, RunTestRoot.Row(uid: 12345, experiment: "mnist/cnn/train"), root.Options);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../outside")]
    [InlineData(".")]
    public async Task Experiment_names_that_leave_the_root_are_refused(string experiment)
    {
        await using var root = new RunTestRoot();
        Assert.Throws<ArgumentException>(() => RunFolder.Prepare(root.Path, RunTestRoot.Row(experiment: experiment), root.Options));
    }

    [Fact]
    public async Task Params_json_holds_the_exact_params_and_the_canonical_text()
    {
        await using var root = new RunTestRoot();
        var row = RunTestRoot.Row() with { ParamsJson = """{"LearningRate":0.1000000000000000055511151231257827,"Name":"caf\u00e9"}""" };
        var folder = RunFolder.Prepare(root.Path, row, root.Options);
        folder.WriteParams(row);

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder.Directory, "params.json")));
        var p = document.RootElement;
        Assert.Equal("train", p.GetProperty("experiment").GetString());
        Assert.Equal(1, p.GetProperty("version").GetInt32());
        Assert.Equal(RunTestRoot.Hash, p.GetProperty("hash").GetString());
        Assert.Equal(row.ParamsJson, p.GetProperty("params").GetRawText());
        Assert.Equal(RunTestRoot.CanonicalJson, p.GetProperty("canonical").GetString());
        Assert.Equal("5e6f7a8b", p.GetProperty("components").GetProperty("data").GetString());
        Assert.Equal("1a2b3c4d", p.GetProperty("components").GetProperty("model").GetString());
        Assert.Empty(Directory.EnumerateFiles(folder.Directory, "*.tmp-*"));
    }

    [Fact]
    public async Task Invalid_params_json_is_refused()
    {
        await using var root = new RunTestRoot();
        var row = RunTestRoot.Row() with { ParamsJson = "{not json" };
        var folder = RunFolder.Prepare(root.Path, row, root.Options);
        Assert.Throws<ArgumentException>(() => folder.WriteParams(row));
        Assert.False(File.Exists(Path.Combine(folder.Directory, "params.json")));
    }

    [Fact]
    public async Task Run_json_tells_what_happened_and_reads_back_into_a_row()
    {
        await using var root = new RunTestRoot();
        root.Options.Durability = Durability.Full;
        var running = RunTestRoot.Row();
        var folder = RunFolder.Prepare(root.Path, running, root.Options);
        folder.WriteParams(running);
        folder.WriteStatus(running);

        var failed = running with
        {
            Status = RunStatus.Failed,
            Attempt = 2,
            Finished = running.Started!.Value.AddMinutes(3),
            Elapsed = TimeSpan.FromTicks(1_234_567_891),
            Error = "System.InvalidOperationException: <boom> & \"quotes\"\n  at Train()",
            ResultFile = $"train/0007-{RunTestRoot.Hash}/result.json",
            Files = new Dictionary<string, string> { ["plots/loss.png"] = $"train/0007-{RunTestRoot.Hash}/files/plots/loss.png" },
            Summary = new Dictionary<string, double> { ["loss"] = 0.31, ["best"] = double.NaN, ["worst"] = double.PositiveInfinity },
            Metadata = new Dictionary<string, string> { ["host"] = "lab-1", ["git.commit"] = "abc" },
            RunnerFingerprint = "f00d",
            Note = "first try",
            Tags = ["a", "b"],
        };
        folder.WriteStatus(failed);
        Assert.Empty(Directory.EnumerateFiles(folder.Directory, "*.tmp-*"));

        using (var document = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder.Directory, "run.json"))))
        {
            var s = document.RootElement;
            Assert.Equal("Failed", s.GetProperty("status").GetString());
            Assert.Equal(2, s.GetProperty("attempt").GetInt32());
            Assert.Equal(7, s.GetProperty("uid").GetInt64());
            Assert.Equal("test-host", s.GetProperty("owner").GetProperty("host").GetString());
            Assert.Equal(4242, s.GetProperty("owner").GetProperty("pid").GetInt32());
            Assert.Equal("2026-11-23T10:51:00.1234567Z", s.GetProperty("started").GetString());
            Assert.Equal("00:02:03.4567891", s.GetProperty("elapsed").GetString());
            Assert.Equal(123.4567891, s.GetProperty("elapsedSeconds").GetDouble(), 9);
            Assert.Equal(failed.Error, s.GetProperty("error").GetString());
            Assert.Equal("NaN", s.GetProperty("summary").GetProperty("best").GetString());
            Assert.Equal(0.31, s.GetProperty("summary").GetProperty("loss").GetDouble());
            Assert.Equal("lab-1", s.GetProperty("metadata").GetProperty("host").GetString());
        }

        var back = RunFolder.TryReadStatus(folder.Directory);
        Assert.NotNull(back);
        Assert.Equal(failed.Key, back.Key);
        Assert.Equal(failed.Uid, back.Uid);
        Assert.Equal(failed.Status, back.Status);
        Assert.Equal(failed.Attempt, back.Attempt);
        Assert.Equal(failed.Owner, back.Owner);
        Assert.Equal(failed.LeaseExpires, back.LeaseExpires);
        Assert.Equal(failed.Created, back.Created);
        Assert.Equal(failed.Started, back.Started);
        Assert.Equal(failed.Finished, back.Finished);
        Assert.Equal(failed.LastUsed, back.LastUsed);
        Assert.Equal(failed.Elapsed, back.Elapsed);
        Assert.Equal(failed.ParamsJson, back.ParamsJson);
        Assert.Equal(failed.CanonicalJson, back.CanonicalJson);
        Assert.Equal(failed.ComponentHashes.OrderBy(p => p.Key), back.ComponentHashes.OrderBy(p => p.Key));
        Assert.Equal(failed.Error, back.Error);
        Assert.Equal(failed.ResultFile, back.ResultFile);
        Assert.Equal(failed.Files, back.Files);
        Assert.Equal(failed.Summary.OrderBy(p => p.Key), back.Summary.OrderBy(p => p.Key));
        Assert.Equal(failed.Metadata.OrderBy(p => p.Key), back.Metadata.OrderBy(p => p.Key));
        Assert.Equal(failed.RunnerFingerprint, back.RunnerFingerprint);
        Assert.Equal(failed.Note, back.Note);
        Assert.Equal(failed.Tags, back.Tags);
    }

    [Fact]
    public async Task A_row_without_owner_or_times_round_trips()
    {
        await using var root = new RunTestRoot();
        var row = RunTestRoot.Row() with { Status = RunStatus.Pending, Owner = null, LeaseExpires = null, Started = null, ComponentHashes = new Dictionary<string, string>() };
        var folder = RunFolder.Prepare(root.Path, row, root.Options);
        folder.WriteParams(row);
        folder.WriteStatus(row);
        var back = RunFolder.TryReadStatus(folder.Directory)!;
        Assert.Null(back.Owner);
        Assert.Null(back.Started);
        Assert.Null(back.Elapsed);
        Assert.Equal(RunStatus.Pending, back.Status);
        Assert.Empty(back.ComponentHashes);
    }

    [Fact]
    public async Task Missing_or_garbled_files_read_as_null_and_are_left_alone()
    {
        await using var root = new RunTestRoot();
        var row = RunTestRoot.Row();
        var folder = RunFolder.Prepare(root.Path, row, root.Options);
        string runJson = Path.Combine(folder.Directory, "run.json");

        Assert.Null(RunFolder.TryReadStatus(folder.Directory));
        Assert.Null(RunFolder.TryReadStatus(Path.Combine(root.Path, "no", "such", "folder")));
        Assert.Null(RunFolder.TryReadStatus(""));

        folder.WriteStatus(row);
        Assert.Null(RunFolder.TryReadStatus(folder.Directory)); // params.json missing

        folder.WriteParams(row);
        Assert.NotNull(RunFolder.TryReadStatus(folder.Directory));

        byte[] good = await File.ReadAllBytesAsync(runJson);
        foreach (byte[] bad in new[]
        {
            good[..(good.Length / 2)],
            "[]"u8.ToArray(),
            "{}"u8.ToArray(),
            "\0\0\0\0"u8.ToArray(),
            Array.Empty<byte>(),
            System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(good).Replace("\"Running\"", "\"Exploded\"")),
            System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(good).Replace(RunTestRoot.Hash, "ffffffffffffffff")),
            System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(good).Replace("\"uid\": 7", "\"uid\": \"seven\"")),
        })
        {
            await File.WriteAllBytesAsync(runJson, bad);
            Assert.Null(RunFolder.TryReadStatus(folder.Directory));
            Assert.Equal(bad, await File.ReadAllBytesAsync(runJson));
        }
    }

    [Fact]
    public async Task Prepare_removes_temporary_files_of_a_crashed_attempt()
    {
        await using var root = new RunTestRoot();
        var row = RunTestRoot.Row();
        var folder = RunFolder.Prepare(root.Path, row, root.Options);
        string stray = Path.Combine(folder.Directory, "run.json.tmp-0a0b0c0d0e0f");
        string strayArtifact = Path.Combine(folder.Directory, "files", "plots", "loss.png.tmp-0a0b0c0d0e0f");
        Directory.CreateDirectory(Path.GetDirectoryName(strayArtifact)!);
        await File.WriteAllTextAsync(stray, "{");
        await File.WriteAllTextAsync(strayArtifact, "half");
        await File.WriteAllTextAsync(Path.Combine(folder.Directory, "result.json"), "{}");

        RunFolder.Prepare(root.Path, row, root.Options);
        Assert.False(File.Exists(stray));
        Assert.False(File.Exists(strayArtifact));
        Assert.True(File.Exists(Path.Combine(folder.Directory, "result.json")));
    }
}
