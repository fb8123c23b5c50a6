namespace ExperimentKit.Cli.Tests;

/// <summary>The real tool process: exit codes, and no colour when the output is redirected or NO_COLOR is set.</summary>
public sealed class ProcessTests(SharedRoot shared) : IClassFixture<SharedRoot>
{
    [Fact]
    public async Task The_tool_process_lists_runs_without_colour_when_redirected()
    {
        var result = await Expkit.RunProcessAsync(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, "runs", shared.Value.Root, "-e", "clitest/train");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Model.Layers", result.Out);
        Assert.DoesNotContain("\u001b[", result.Out);
    }

    [Fact]
    public async Task The_tool_process_returns_1_for_nothing_found_and_2_for_bad_arguments()
    {
        var missing = await Expkit.RunProcessAsync(null, "show", "--root", shared.Value.Root, "clitest/train:0042");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("expkit runs", missing.Error);
        var bad = await Expkit.RunProcessAsync(null, "runs", "--limit", "many");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--help", bad.Error);
    }
}
