namespace ExperimentKit.Hosting.Tests;

/// <summary>
/// Where the sweep comes from (docs/sweeps.md): code, then <c>ExperimentKit:Sweeps:{experiment}</c>, then
/// <c>Member=values</c> arguments, each later source replacing the members it names on every point of the one before.
/// </summary>
public sealed class SweepSourceTests
{
    private static readonly Sweep<HostedParams> Code = HostedParams.Sweep(index: [0, 1], learningRate: [0.1]);

    [Fact]
    public async Task The_code_sweep_runs_when_nothing_overrides_it()
        => Assert.Equal(
            [new HostedParams(0, 0.1, 1), new HostedParams(1, 0.1, 1)],
            await RanAsync(Code));

    [Fact]
    public async Task A_configured_sweep_replaces_the_members_it_names_on_every_point_of_the_code_sweep()
        => Assert.Equal(
            [new HostedParams(0, 0.2, 1), new HostedParams(0, 0.3, 1), new HostedParams(1, 0.2, 1), new HostedParams(1, 0.3, 1)],
            await RanAsync(Code, new Dictionary<string, string?> { ["ExperimentKit:Sweeps:hosted:LearningRate"] = "0.2,0.3" }));

    [Fact]
    public async Task A_configured_sweep_alone_is_the_grid_of_its_axes_with_array_values()
        => Assert.Equal(
            [new HostedParams(0, 0.25, 1), new HostedParams(0, 0.5, 1), new HostedParams(1, 0.25, 1), new HostedParams(1, 0.5, 1), new HostedParams(2, 0.25, 1), new HostedParams(2, 0.5, 1)],
            await RanAsync(null, new Dictionary<string, string?>
            {
                ["ExperimentKit:Sweeps:hosted:Index"] = "range(0,3)",
                ["ExperimentKit:Sweeps:hosted:LearningRate:0"] = "0.5",
                ["ExperimentKit:Sweeps:hosted:LearningRate:1"] = "0.25",
            }));

    [Fact]
    public async Task Arguments_alone_are_the_grid_of_their_axes()
        => Assert.Equal(
            [new HostedParams(0, 0.1, 3), new HostedParams(1, 0.1, 3), new HostedParams(2, 0.1, 3)],
            await RanAsync(null, args: ["Index=range(0,3)", "Epochs=3"]));

    [Fact]
    public async Task Arguments_override_both_the_configured_and_the_code_sweep_and_duplicates_run_once()
    {
        // Code: Index 0,1. Configuration: LearningRate 0.2,0.3 (8 points with the arguments below). Arguments:
        // LearningRate=0.5 replaces the configured rates, so pairs of points become equal: 4 distinct runs.
        var settings = new Dictionary<string, string?> { ["ExperimentKit:Sweeps:hosted:LearningRate"] = "0.2,0.3" };
        Assert.Equal(
            [new HostedParams(0, 0.5, 2), new HostedParams(0, 0.5, 3), new HostedParams(1, 0.5, 2), new HostedParams(1, 0.5, 3)],
            await RanAsync(Code, settings, ["LearningRate=0.5", "Epochs=2,3"]));
    }

    [Fact]
    public async Task Arguments_that_configure_the_host_are_not_taken_for_sweep_axes()
        => Assert.Equal(
            [new HostedParams(5, 0.1, 1)],
            await RanAsync(Code, args: ["--verbose", "--ExperimentKit:MaxAttempts=2", "Logging:LogLevel:Default=Warning", "Index=5"]));

    [Fact]
    public async Task With_two_experiments_each_takes_the_arguments_that_name_its_members()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(
            root.Path,
            kit => kit.AddExperiment<HostedParams, HostedRunner>(Code).AddExperiment<SecondParams, SecondRunner>(SecondParams.Sweep(seed: [1])),
            args: ["Epochs=4", "Seed=7,8"]);

        Assert.Equal(ExitCodes.Success, await host.RunAsync());

        Assert.Equal([new HostedParams(0, 0.1, 4), new HostedParams(1, 0.1, 4)], host.Probe.ParamsOf<HostedParams>().OrderBy(p => p.Index));
        Assert.Equal([new SecondParams(7), new SecondParams(8)], host.Probe.ParamsOf<SecondParams>().OrderBy(p => p.Seed));
    }

    [Fact]
    public async Task With_two_experiments_an_argument_naming_a_member_of_neither_exits_2()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(
            root.Path,
            kit => kit.AddExperiment<HostedParams, HostedRunner>(Code).AddExperiment<SecondParams, SecondRunner>(SecondParams.Sweep(seed: [1])),
            args: ["Epochs=4", "Sead=7"]);

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());
        Assert.Contains("Did you mean 'Seed'?", Assert.Single(host.Logs.WithEvent(1007)).Message, StringComparison.Ordinal);
        Assert.Empty(host.Probe.Calls);
    }

    /// <summary>Runs the sweep and returns the points the runner saw, sorted, checking each ran once and the ledger holds exactly them.</summary>
    private static async Task<List<HostedParams>> RanAsync(Sweep<HostedParams>? code, Dictionary<string, string?>? settings = null, string[]? args = null)
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, code, settings, args);
        Assert.Equal(ExitCodes.Success, await host.RunAsync());

        var ran = host.Probe.ParamsOf<HostedParams>().ToList();
        Assert.Equal(ran.Count, ran.Distinct().Count());
        var rows = await HostedSweep.LedgerAsync<HostedParams>(root.Path);
        Assert.Equal(ran.ToHashSet(), rows.Select(r => r.Params).ToHashSet());
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        return [.. ran.OrderBy(p => p.Index).ThenBy(p => p.LearningRate).ThenBy(p => p.Epochs)];
    }
}
