using System.Text.Json;

namespace ExperimentKit.Cli.Tests;

/// <summary>runs, show, diff, why, metrics, export on a shared root made by the store.</summary>
public sealed class BrowseCommandTests(SharedRoot shared) : IClassFixture<SharedRoot>
{
    private string Root => shared.Value.Root;

    private static JsonElement[] Json(CliResult result) => JsonDocument.Parse(result.Out).RootElement.EnumerateArray().ToArray();

    [Fact]
    public async Task Runs_filters_by_where_status_and_experiment()
    {
        var layers4 = await Expkit.RunAsync("runs", Root, "-e", "clitest/train", "--where", "Model.Layers=4", "--json");
        Assert.Equal(0, layers4.ExitCode);
        var rows = Json(layers4);
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Equal(4, r.GetProperty("params").GetProperty("Model.Layers").GetInt32()));

        var failed = await Expkit.RunAsync("runs", "--root", Root, "--status", "failed", "--json");
        var failedRow = Assert.Single(Json(failed));
        Assert.Equal("Failed", failedRow.GetProperty("status").GetString());
        Assert.Contains("diverged", failedRow.GetProperty("error").GetString());

        var strings = await Expkit.RunAsync("runs", Root, "--where", "Dataset=mnist", "--json");
        Assert.Equal(5, Json(strings).Length);
    }

    [Fact]
    public async Task Runs_sorts_by_a_summary_metric_and_limits()
    {
        var result = await Expkit.RunAsync("runs", Root, "-e", "clitest/train", "--sort", "metric:loss", "--json");
        var rows = Json(result);
        var losses = rows.Where(r => r.GetProperty("summary").TryGetProperty("loss", out _)).Select(r => r.GetProperty("summary").GetProperty("loss").GetDouble()).ToList();
        Assert.Equal(4, losses.Count);
        Assert.Equal(losses.Order().ToList(), losses);
        Assert.Equal("Failed", rows[^1].GetProperty("status").GetString());

        var top = await Expkit.RunAsync("runs", Root, "-e", "clitest/train", "--sort", "metric:loss", "--desc", "--limit", "1", "--json");
        Assert.Equal(losses.Max(), Assert.Single(Json(top)).GetProperty("summary").GetProperty("loss").GetDouble());
    }

    [Fact]
    public async Task Runs_table_shows_varying_params_and_fits_the_width()
    {
        var result = await Expkit.RunAsync("runs", Root, "-e", "clitest/train");
        Assert.Equal(0, result.ExitCode);
        var header = result.Out.Split('\n')[0];
        Assert.Contains("LearningRate", header);
        Assert.Contains("Model.Layers", header);
        Assert.DoesNotContain("Dataset", header);
        Assert.DoesNotContain("\u001b[", result.Out);

        var output = new StringWriter();
        var narrow = new CliConsole { Out = output, Error = new StringWriter(), Width = 50 };
        Assert.Equal(0, await ExpkitCli.RunAsync(["runs", Root, "-e", "clitest/train"], narrow));
        Assert.All(output.ToString().Split('\n').Where(l => l.Length > 0 && !l.StartsWith('(') && !l.Contains("run(s)", StringComparison.Ordinal)), l => Assert.True(l.Length <= 50, l));
    }

    [Fact]
    public async Task Exit_codes_say_nothing_found_and_bad_arguments()
    {
        Assert.Equal(1, (await Expkit.RunAsync("runs", Root, "--where", "Model.Layers=99")).ExitCode);
        Assert.Equal(1, (await Expkit.RunAsync("show", "--root", Root, "clitest/train:0099")).ExitCode);
        var noLedger = await Expkit.RunAsync("runs", Path.Combine(Root, "nope"));
        Assert.Equal(1, noLedger.ExitCode);
        Assert.Contains("--root", noLedger.Error);
        Assert.Equal(2, (await Expkit.RunAsync("runs", Root, "--sort", "size")).ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("runs", Root, "--status", "done")).ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("runs", Root, "--bogus")).ExitCode);
        Assert.Equal(2, (await Expkit.RunAsync("frobnicate")).ExitCode);
    }

    [Fact]
    public async Task Show_resolves_uid_hash_prefix_and_reports_ambiguity()
    {
        var ambiguous = await Expkit.RunAsync("show", "--root", Root, "1");
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("ambiguous", ambiguous.Error);
        Assert.Contains("clitest/train:0001", ambiguous.Error);
        Assert.Contains("clitest/other:0001", ambiguous.Error);

        var byName = await Expkit.RunAsync("show", "--root", Root, "clitest/train:1");
        Assert.Equal(0, byName.ExitCode);
        Assert.Contains("LearningRate = 0.1", byName.Out);
        Assert.Contains("Threads = 4", byName.Out);
        Assert.Contains("(not hashed)", byName.Out);
        Assert.Contains("metrics.jsonl", byName.Out);
        Assert.Contains("components", byName.Out);

        var json = JsonDocument.Parse((await Expkit.RunAsync("show", "--root", Root, "clitest/train:1", "--json")).Out).RootElement;
        var hash = json.GetProperty("hash").GetString()!;
        var byPrefix = await Expkit.RunAsync("show", "--root", Root, hash[..6], "--json");
        Assert.Equal(hash, JsonDocument.Parse(byPrefix.Out).RootElement.GetProperty("hash").GetString());
        var byOption = await Expkit.RunAsync("show", "--root", Root, "1", "--experiment", "clitest/other");
        Assert.Equal(0, byOption.ExitCode);

        var failed = await Expkit.RunAsync("show", "--root", Root, "clitest/train:5");
        Assert.Contains("diverged: loss is NaN", failed.Out);
    }

    [Fact]
    public async Task Diff_names_changed_components_and_fields()
    {
        // uid 1: 0.1 x 2 layers; uid 2: 0.1 x 4 layers; uid 3: 0.01 x 2 layers.
        var result = await Expkit.RunAsync("diff", "--root", Root, "-e", "clitest/train", "1", "2", "--json");
        Assert.Equal(0, result.ExitCode);
        var diff = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(["model"], diff.GetProperty("changedComponents").EnumerateArray().Select(e => e.GetString()));
        var field = Assert.Single(diff.GetProperty("fields").EnumerateArray());
        Assert.Equal("Model.Layers", field.GetProperty("path").GetString());
        Assert.Equal(2, field.GetProperty("left").GetInt32());
        Assert.Equal(4, field.GetProperty("right").GetInt32());

        var text = await Expkit.RunAsync("diff", "--root", Root, "clitest/train:1", "clitest/train:3");
        Assert.Contains("components changed: params", text.Out);
        Assert.Contains("LearningRate", text.Out);
        Assert.DoesNotContain("Dataset", text.Out);
        var all = await Expkit.RunAsync("diff", "--root", Root, "clitest/train:1", "clitest/train:3", "--all");
        Assert.Contains("Dataset", all.Out);
    }

    [Fact]
    public async Task Why_names_the_nearest_run_and_the_differing_field()
    {
        var miss = await Expkit.RunAsync("why", "--root", Root, "clitest/train", "LearningRate=0.1", "Model.Layers=8");
        Assert.Equal(0, miss.ExitCode);
        Assert.StartsWith("miss", miss.Out);
        var nearest = miss.Out.Split('\n').First(l => l.StartsWith("  clitest/train:", StringComparison.Ordinal));
        Assert.Contains("Model.Layers (2 there, 8 here)", nearest + miss.Out);
        Assert.Contains("differs in Model.Layers", nearest);

        var hit = await Expkit.RunAsync("why", "--root", Root, "clitest/train", "learningrate=1e-1", "Model.Layers=4");
        Assert.StartsWith("hit", hit.Out);
        Assert.Contains("clitest/train:0002", hit.Out);

        var failed = await Expkit.RunAsync("why", "--root", Root, "clitest/train", "LearningRate=1", "Model.Layers=2");
        Assert.Contains("Failed", failed.Out);
        Assert.Contains("only Completed runs are skipped", failed.Out);

        var typo = await Expkit.RunAsync("why", "--root", Root, "clitest/train", "LernRate=1");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("did you mean 'LearningRate'", typo.Error);
    }

    [Fact]
    public async Task Metrics_csv_has_a_header_and_one_line_per_step()
    {
        var result = await Expkit.RunAsync("metrics", "--root", Root, "clitest/train:2", "--name", "loss", "--csv");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("step,time,loss", lines[0]);
        Assert.Equal(11, lines.Length);
        Assert.Equal("0", lines[1].Split(',')[0]);
        Assert.Equal(1.0, double.Parse(lines[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture));

        var unknown = await Expkit.RunAsync("metrics", "--root", Root, "clitest/train:2", "--name", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("accuracy, loss", unknown.Error);
    }

    [Fact]
    public async Task Export_csv_has_one_row_per_run_with_flat_params_and_summary()
    {
        var result = await Expkit.RunAsync("export", Root, "-e", "clitest/train");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(6, lines.Length);
        Assert.Contains("params.Model.Layers", header);
        Assert.Contains("params.LearningRate", header);
        Assert.Contains("summary.loss", header);
        Assert.All(lines.Skip(1), l => Assert.Equal(header.Length, l.Split(',').Length));

        var file = Path.Combine(Root, "..", Guid.NewGuid().ToString("N") + ".jsonl");
        var jsonl = await Expkit.RunAsync("export", Root, "--format", "jsonl", "--out", file);
        Assert.Equal(0, jsonl.ExitCode);
        var rows = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        File.Delete(file);
        Assert.Equal(6, rows.Count);
        Assert.Contains(rows, r => r.TryGetProperty("params.Model.Layers", out var v) && v.GetInt32() == 4);
        Assert.Contains("wrote 6 run(s)", jsonl.Error);
        Assert.Equal(2, (await Expkit.RunAsync("export", Root, "--format", "xml")).ExitCode);
    }
}
