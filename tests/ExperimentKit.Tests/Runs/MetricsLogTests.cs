using System.Text;
using System.Text.Json;

namespace ExperimentKit.Tests.Runs;

public class MetricsLogTests
{
    [Fact]
    public async Task Logged_metrics_are_json_lines_and_read_back()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        run.Log(0, "loss", 0.5);
        run.Log(12, new Dictionary<string, double> { ["loss"] = 0.31, ["accuracy"] = 0.9 });
        await run.DisposeAsync();

        string path = Path.Combine(run.RunDirectory, "metrics.jsonl");
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("""{"step":12,"time":""", lines[1]);
        Assert.EndsWith(""","loss":0.31,"accuracy":0.9}""", lines[1]);
        Assert.Matches("""^\{"step":0,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","loss":0.5\}$""", lines[0]);

        var points = await MetricsLog.ReadAsync(path);
        Assert.Equal(2, points.Count);
        Assert.Equal(0, points[0].Step);
        Assert.Equal(0.5, points[0].Values["loss"]);
        Assert.Equal(12, points[1].Step);
        Assert.Equal(0.31, points[1].Values["loss"]);
        Assert.Equal(0.9, points[1].Values["accuracy"]);
        Assert.InRange(points[1].Time, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, points[1].Time.Offset);
    }

    [Fact]
    public async Task Non_finite_values_are_strings_and_come_back_as_doubles()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        run.Log(1, new Dictionary<string, double> { ["a"] = double.NaN, ["b"] = double.PositiveInfinity, ["c"] = double.NegativeInfinity, ["d"] = -0.0, ["e"] = 1e300 });
        await run.DisposeAsync();

        string path = Path.Combine(run.RunDirectory, "metrics.jsonl");
        string line = File.ReadAllLines(path).Single();
        Assert.Contains("\"a\":\"NaN\",\"b\":\"Infinity\",\"c\":\"-Infinity\"", line);
        using (JsonDocument.Parse(line))
        {
            // strict JSON: no bare NaN tokens
        }

        var point = Assert.Single(await MetricsLog.ReadAsync(path));
        Assert.True(double.IsNaN(point.Values["a"]));
        Assert.Equal(double.PositiveInfinity, point.Values["b"]);
        Assert.Equal(double.NegativeInfinity, point.Values["c"]);
        Assert.Equal(1e300, point.Values["e"]);
    }

    [Fact]
    public async Task A_torn_last_line_is_ignored()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        run.Log(1, "loss", 1.0);
        run.Log(2, "loss", 0.5);
        await run.DisposeAsync();

        string path = Path.Combine(run.RunDirectory, "metrics.jsonl");
        await File.AppendAllTextAsync(path, """{"step":3,"time":"2026-11-23T10:5""");
        var points = await MetricsLog.ReadAsync(path);
        Assert.Equal([1L, 2L], points.Select(p => p.Step));

        // A torn tail made of NUL bytes (a file extended before its data reached the disk) too.
        await File.AppendAllTextAsync(path, "\0\0\0\0");
        Assert.Equal(2, (await MetricsLog.ReadAsync(path)).Count);
    }

    [Fact]
    public async Task A_garbled_line_in_the_middle_is_reported_with_file_and_line()
    {
        await using var root = new RunTestRoot();
        string path = Path.Combine(root.Path, "metrics.jsonl");
        await File.WriteAllTextAsync(path,
            """
            {"step":1,"time":"2026-11-23T10:52:02.123Z","loss":1}

            {"step":2,"time":"2026-11-23T10:52:03.123Z","loss":
            {"step":3,"time":"2026-11-23T10:52:04.123Z","loss":0.25}

            """);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => MetricsLog.ReadAsync(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("line 3", ex.Message);
    }

    [Theory]
    [InlineData("""{"time":"2026-11-23T10:52:02.123Z","loss":1}""")]
    [InlineData("""{"step":1,"loss":1}""")]
    [InlineData("""{"step":1.5,"time":"2026-11-23T10:52:02.123Z"}""")]
    [InlineData("""{"step":1,"time":"yesterday"}""")]
    [InlineData("""{"step":1,"time":"2026-11-23T10:52:02.123Z","loss":"low"}""")]
    [InlineData("""{"step":1,"time":"2026-11-23T10:52:02.123Z","loss":[1]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"step":1,"time":"2026-11-23T10:52:02.123Z"} trailing""")]
    public async Task Lines_that_are_not_metrics_records_are_damage_in_the_middle(string bad)
    {
        await using var root = new RunTestRoot();
        string path = Path.Combine(root.Path, "metrics.jsonl");
        await File.WriteAllTextAsync(path, bad + "\n" + """{"step":2,"time":"2026-11-23T10:52:02.123Z","loss":1}""" + "\n");
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => MetricsLog.ReadAsync(path));
        Assert.Contains("line 1", ex.Message);

        // ...but the same line at the end is a torn write.
        await File.WriteAllTextAsync(path, """{"step":2,"time":"2026-11-23T10:52:02.123Z","loss":1}""" + "\n" + bad + "\n");
        Assert.Single(await MetricsLog.ReadAsync(path));
    }

    [Fact]
    public async Task Reading_a_missing_file_says_so()
    {
        await using var root = new RunTestRoot();
        await Assert.ThrowsAsync<FileNotFoundException>(() => MetricsLog.ReadAsync(Path.Combine(root.Path, "none.jsonl")));
    }

    [Fact]
    public async Task Concurrent_logging_keeps_every_line_whole()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        const int tasks = 8;
        const int perTask = 400;
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < perTask; i++)
            {
                if (i % 2 == 0)
                {
                    run.Log(i, $"task{t}", i * 0.5);
                }
                else
                {
                    run.Log(i, new Dictionary<string, double> { [$"task{t}"] = i * 0.5, ["extra"] = double.NaN });
                }
            }
        })));
        await run.DisposeAsync();

        string path = Path.Combine(run.RunDirectory, "metrics.jsonl");
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(tasks * perTask, lines.Length);
        foreach (string line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }

        var points = await MetricsLog.ReadAsync(path);
        for (int t = 0; t < tasks; t++)
        {
            var mine = points.Where(p => p.Values.ContainsKey($"task{t}")).Select(p => p.Step).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, perTask).Select(i => (long)i), mine);
        }
    }

    [Fact]
    public async Task A_resumed_run_cuts_a_torn_tail_before_appending()
    {
        await using var root = new RunTestRoot();
        var first = root.Context();
        first.Log(1, "loss", 1.0);
        await first.DisposeAsync();
        string path = Path.Combine(first.RunDirectory, "metrics.jsonl");
        await File.AppendAllTextAsync(path, """{"step":2,"ti""");

        var second = root.Context(RunTestRoot.Row(attempt: 2), isResume: true);
        Assert.True(second.IsResume);
        Assert.Equal(2, second.Attempt);
        second.Log(2, "loss", 0.5);
        await second.DisposeAsync();

        Assert.Equal([1L, 2L], (await MetricsLog.ReadAsync(path)).Select(p => p.Step));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public async Task A_complete_last_line_without_newline_is_kept_on_resume()
    {
        await using var root = new RunTestRoot();
        string dir = root.RunDirectory();
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "metrics.jsonl");
        await File.WriteAllTextAsync(path, """{"step":1,"time":"2026-11-23T10:52:02.123Z","loss":1}""");

        var run = root.Context(isResume: true);
        run.Log(2, "loss", 0.5);
        await run.DisposeAsync();
        Assert.Equal([1L, 2L], (await MetricsLog.ReadAsync(path)).Select(p => p.Step));
    }

    [Fact]
    public async Task Full_durability_logs_and_flushes()
    {
        await using var root = new RunTestRoot();
        root.Options.Durability = Durability.Full;
        var run = root.Context();
        run.Log(1, "loss", 1.0);
        await run.FlushAsync(CancellationToken.None);
        run.Log(2, "loss", 0.5);
        await run.DisposeAsync();
        Assert.Equal(2, (await MetricsLog.ReadAsync(Path.Combine(run.RunDirectory, "metrics.jsonl"))).Count);
    }

    [Fact]
    public async Task Bad_arguments_and_disposed_contexts_are_refused()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Log(-1, "loss", 1));
        Assert.Throws<ArgumentException>(() => run.Log(1, "step", 1));
        Assert.Throws<ArgumentException>(() => run.Log(1, "time", 1));
        Assert.Throws<ArgumentException>(() => run.Log(1, "", 1));
        Assert.Throws<ArgumentException>(() => run.Log(1, new Dictionary<string, double> { ["ok"] = 1, ["step"] = 2 }));
        Assert.False(File.Exists(Path.Combine(run.RunDirectory, "metrics.jsonl")));

        run.Log(1, new Dictionary<string, double>());
        Assert.False(File.Exists(Path.Combine(run.RunDirectory, "metrics.jsonl")));

        await run.DisposeAsync();
        await run.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => run.Log(1, "loss", 1));
    }

    [RequiresToolFact("python3")]
    public async Task Every_line_loads_with_pythons_json_module()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        run.Log(0, new Dictionary<string, double> { ["loss"] = 0.31, ["nan"] = double.NaN, ["inf"] = double.NegativeInfinity, ["ünï<>&\"名"] = 2 });
        run.Log(1, "loss", 0.25);
        await run.DisposeAsync();

        string path = Path.Combine(run.RunDirectory, "metrics.jsonl");
        const string script = """
            import json, sys
            rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
            assert [r["step"] for r in rows] == [0, 1], rows
            assert float(rows[0]["nan"]) != float(rows[0]["nan"])
            assert float(rows[0]["inf"]) == float("-inf")
            assert rows[0]["ünï<>&\"名"] == 2
            try:
                import pandas
            except ImportError:
                pandas = None
            if pandas is not None:
                df = pandas.read_json(sys.argv[1], lines=True)
                assert str(df["nan"].dtype) == "float64" and df["nan"].isna()[0], df.dtypes
                assert df["inf"][0] == float("-inf") and list(df["step"]) == [0, 1]
            print(len(rows))
            """;
        string output = ExternalTools.Run("python3", root.Path, "-c", script, path);
        Assert.Equal("2", output.Trim());
        Assert.DoesNotContain("\\u", await File.ReadAllTextAsync(path, Encoding.UTF8));
    }
}
