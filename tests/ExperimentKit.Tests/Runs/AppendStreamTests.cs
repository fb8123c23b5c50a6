using System.Text.Json.Serialization;

namespace ExperimentKit.Tests.Runs;

public sealed record TrainEvent(string Kind, int Epoch, double? Value, IReadOnlyList<string> Tags);

[JsonSerializable(typeof(TrainEvent))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
public sealed partial class RunStreamJsonContext : JsonSerializerContext;

public class AppendStreamTests
{
    [Fact]
    public async Task Appended_values_round_trip_through_a_source_generated_context()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        var events = new[]
        {
            new TrainEvent("start", 0, null, []),
            new TrainEvent("eval", 1, 0.93, ["best", "line\nbreak"]),
            new TrainEvent("stop", 2, -1.5, ["ünï"]),
        };
        foreach (var e in events)
        {
            run.Append("events", e, RunStreamJsonContext.Default.TrainEvent);
        }

        await run.DisposeAsync();

        string path = Path.Combine(run.RunDirectory, "events.jsonl");
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        // One line each even though the context asks for indented output.
        Assert.StartsWith("""{"kind":"start","epoch":0""", lines[0]);

        var back = await JsonLines.ReadAsync(path, RunStreamJsonContext.Default.TrainEvent);
        Assert.Equal(3, back.Count);
        for (int i = 0; i < events.Length; i++)
        {
            Assert.Equal(events[i].Kind, back[i].Kind);
            Assert.Equal(events[i].Epoch, back[i].Epoch);
            Assert.Equal(events[i].Value, back[i].Value);
            Assert.Equal(events[i].Tags, back[i].Tags);
        }
    }

    [Fact]
    public async Task Streams_follow_the_torn_tail_rule()
    {
        await using var root = new RunTestRoot();
        string path = Path.Combine(root.Path, "events.jsonl");
        await File.WriteAllTextAsync(path, """{"kind":"a","epoch":1,"tags":[]}""" + "\n" + """{"kind":"b","ep""");
        var values = await JsonLines.ReadAsync(path, RunStreamJsonContext.Default.TrainEvent);
        Assert.Equal("a", Assert.Single(values).Kind);

        await File.WriteAllTextAsync(path, """{"kind":"a","epoch":1,"tags":[]}""" + "\nnull\n" + """{"kind":"b","epoch":2,"tags":[]}""" + "\n");
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => JsonLines.ReadAsync(path, RunStreamJsonContext.Default.TrainEvent));
        Assert.Contains("line 2", ex.Message);
        Assert.Contains(path, ex.Message);

        await File.WriteAllTextAsync(path, """{"kind":"a","epoch":"one","tags":[]}""" + "\n" + """{"kind":"b","epoch":2,"tags":[]}""" + "\n");
        ex = await Assert.ThrowsAsync<InvalidDataException>(() => JsonLines.ReadAsync(path, RunStreamJsonContext.Default.TrainEvent));
        Assert.Contains("line 1", ex.Message);
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("Metrics")]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    [InlineData("..")]
    [InlineData("with space")]
    [InlineData("naïve")]
    [InlineData("x.tmp-1")]
    public async Task Bad_stream_names_are_refused(string stream)
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        var ex = Assert.Throws<ArgumentException>(() => run.Append(stream, new TrainEvent("x", 1, null, []), RunStreamJsonContext.Default.TrainEvent));
        Assert.Equal("stream", ex.ParamName);
        Assert.Empty(Directory.EnumerateFiles(run.RunDirectory, "*.jsonl"));
    }

    [Theory]
    [InlineData("events")]
    [InlineData("train.loss-1_A")]
    [InlineData("_")]
    public async Task Good_stream_names_are_accepted(string stream)
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        run.Append(stream, new TrainEvent("x", 1, null, []), RunStreamJsonContext.Default.TrainEvent);
        Assert.True(File.Exists(Path.Combine(run.RunDirectory, stream + ".jsonl")));
    }

    [Fact]
    public async Task Null_values_are_refused()
    {
        await using var root = new RunTestRoot();
        var run = root.Context();
        Assert.Throws<ArgumentNullException>(() => run.Append<TrainEvent>("events", null!, RunStreamJsonContext.Default.TrainEvent));
    }
}
