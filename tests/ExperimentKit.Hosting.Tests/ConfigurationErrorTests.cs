namespace ExperimentKit.Hosting.Tests;

/// <summary>
/// A mistake in configuration or arguments stops the worker with exit code 2 before anything runs, and the log
/// says which key is wrong and what it accepts.
/// </summary>
public sealed class ConfigurationErrorTests
{
    private static readonly Sweep<HostedParams> Points = HostedParams.Sweep(index: [0, 1, 2]);

    public static TheoryData<string, string, string[]> BadSettings => new()
    {
        { "ExperimentKit:MaxParallelism", "0", ["ExperimentKit:MaxParallelism", "is 0", "use 1 or more"] },
        { "ExperimentKit:Durability", "Fast", ["ExperimentKit:Durability", "Normal", "Full"] },
        { "ExperimentKit:LeaseDuration", "00:00:00", ["ExperimentKit:LeaseDuration", "00:00:00", "at least 00:00:01"] },
        { "ExperimentKit:MaxAttempts", "0", ["ExperimentKit:MaxAttempts", "use 1 or more"] },
        { "ExperimentKit:OnCodeChange", "Redo", ["ExperimentKit:OnCodeChange", "Warn", "Rerun", "Ignore"] },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_exits_2_naming_the_key_and_the_allowed_values(string key, string value, string[] mentions)
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points, new Dictionary<string, string?> { [key] = value });

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());

        var error = Assert.Single(host.Logs.WithEvent(1007));
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        }

        await AssertNothingRanAsync(host, root.Path);
    }

    [Fact]
    public async Task An_unknown_member_in_the_arguments_exits_2_and_suggests_the_member_meant()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points, args: ["LerningRate=0.1"]);

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());

        var error = Assert.Single(host.Logs.WithEvent(1007)).Message;
        Assert.Contains("'LerningRate'", error, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'LearningRate'?", error, StringComparison.Ordinal);
        await AssertNothingRanAsync(host, root.Path);
    }

    [Fact]
    public async Task An_unknown_member_too_far_from_any_name_for_a_suggestion_still_exits_2_listing_the_members()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points, args: ["Lerning=0.1"]);

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());

        var error = Assert.Single(host.Logs.WithEvent(1007)).Message;
        Assert.Contains("'Lerning'", error, StringComparison.Ordinal);
        Assert.Contains("Valid paths: Index, LearningRate, Epochs", error, StringComparison.Ordinal);
        await AssertNothingRanAsync(host, root.Path);
    }

    [Fact]
    public async Task A_value_that_does_not_parse_exits_2_naming_the_member_and_its_type()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points, args: ["Epochs=ten"]);

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());

        var error = Assert.Single(host.Logs.WithEvent(1007)).Message;
        Assert.Contains("'Epochs' (int)", error, StringComparison.Ordinal);
        Assert.Contains("\"ten\"", error, StringComparison.Ordinal);
        await AssertNothingRanAsync(host, root.Path);
    }

    [Fact]
    public async Task A_bad_configured_sweep_exits_2_naming_the_member()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, Points, new Dictionary<string, string?> { ["ExperimentKit:Sweeps:hosted:LearningRate"] = "fast" });

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());

        var error = Assert.Single(host.Logs.WithEvent(1007)).Message;
        Assert.Contains("'LearningRate' (double)", error, StringComparison.Ordinal);
        await AssertNothingRanAsync(host, root.Path);
    }

    [Fact]
    public async Task No_sweep_from_code_configuration_or_arguments_exits_2_saying_where_to_give_one()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, sweep: null);

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());

        var error = Assert.Single(host.Logs.WithEvent(1007)).Message;
        Assert.Contains("'hosted' has no sweep", error, StringComparison.Ordinal);
        Assert.Contains("ExperimentKit:Sweeps:hosted", error, StringComparison.Ordinal);
        Assert.Contains("Member=v1,v2", error, StringComparison.Ordinal);
        await AssertNothingRanAsync(host, root.Path);
    }

    [Fact]
    public async Task No_experiment_registered_exits_2()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        using var host = HostedSweep.Create(root.Path, static _ => { });

        Assert.Equal(ExitCodes.BadConfiguration, await host.RunAsync());
        Assert.Contains("No experiment is registered", Assert.Single(host.Logs.WithEvent(1007)).Message, StringComparison.Ordinal);
    }

    private static async Task AssertNothingRanAsync(HostedSweep host, string root)
    {
        Assert.Empty(host.Probe.Calls);
        Assert.Empty(await HostedSweep.LedgerAsync<HostedParams>(root));
    }
}
