using System.Globalization;
namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    private static readonly TestParams P1 = new(0.001, 10, 2, 64, "mnist", true);
    private static readonly TestParams P2 = new(0.01, 10, 4, 64, "cifar", false);
    private static readonly TestParams P3 = new(0.001, 20, 4, 64, "mnist", false);
    private static readonly TestParams P4 = new(0.0001, 10, 2, 64, "cifar", true);
    private static readonly TestParams P5 = new(0.01, 10, 4, 64, "mnist", false);
    private static readonly TestParams P6 = new(0.01, 10, 4, 64, "mnist", false);

    /// <summary>
    /// train v1: 1 completed, 2 completed (tag best), 3 failed, 4 running; train v2: 5 completed; eval v1: 6 completed.
    /// </summary>
    private async Task SeedQueryRunsAsync()
    {
        await CompletedAsync(1, p: P1);
        await CompletedAsync(2, p: P2);
        var failing = Claim(3, p: P3);
        await ClaimedAsync(failing);
        await Ledger.FailAsync(failing.Key, failing.Owner.Token, Done(error: "boom"));
        await ClaimedAsync(Claim(4, p: P4));
        await CompletedAsync(5, version: 2, p: P5);
        await CompletedAsync(6, experiment: "eval", p: P6);
        await Ledger.AnnotateAsync(KeyOf(2), new RunAnnotation { AddTags = ["best", "paper"] });
    }

    private async Task<int[]> Points(RunQuery query)
        => [.. (await Ledger.ListAsync(query)).Select(r => int.Parse(r.Key.Hash, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture))];

    private static void Expect(int[] expected, int[] actual) => Assert.Equal(expected, actual);

    private Task<int[]> Where(params (string Path, string Json)[] where)
        => Points(new RunQuery { Experiment = "train", Where = where.ToDictionary(w => w.Path, w => w.Json), OrderBy = RunOrder.Uid });

    [SkippableFact]
    public async Task Listing_filters_by_experiment_version_and_status()
    {
        await SeedQueryRunsAsync();

        Expect([1, 2, 3, 4, 5, 6], [.. (await Points(new RunQuery { OrderBy = RunOrder.Created })).Order()]);
        Expect([1, 2, 3, 4, 5], await Points(new RunQuery { Experiment = "train", OrderBy = RunOrder.Uid }));
        Expect([5], await Points(new RunQuery { Experiment = "train", Version = 2 }));
        Expect([6], await Points(new RunQuery { Experiment = "eval", Version = 1 }));
        Assert.Empty(await Points(new RunQuery { Experiment = "nope" }));
        Expect([1, 2, 5], await Points(new RunQuery { Experiment = "train", Statuses = [RunStatus.Completed], OrderBy = RunOrder.Uid }));
        Expect([2, 3], await Points(new RunQuery { Experiment = "train", Version = 1, Statuses = [RunStatus.Failed, RunStatus.Running, RunStatus.Completed], Where = new Dictionary<string, string> { ["Model.Layers"] = "4" }, OrderBy = RunOrder.Uid }));
        Expect([3], await Points(new RunQuery { Statuses = [RunStatus.Failed] }));
        Expect([4], await Points(new RunQuery { Statuses = [RunStatus.Running] }));
        Assert.Empty(await Points(new RunQuery { Statuses = [RunStatus.Interrupted, RunStatus.Pending] }));
        Assert.Empty(await Points(new RunQuery { Statuses = [] }));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.ListAsync(new RunQuery { Version = 1 }));
    }

    [SkippableFact]
    public async Task Where_matches_nested_paths_numbers_strings_booleans_and_groups_by_json_value()
    {
        await SeedQueryRunsAsync();

        Expect([2, 3, 5], await Where(("Model.Layers", "4")));
        Expect([3, 5], await Where(("Model.Layers", "4"), ("Dataset", "\"mnist\"")));
        Expect([1, 4], await Where(("Shuffle", "true")));
        Expect([2, 3, 5], await Where(("Shuffle", "false")));
        Expect([1, 3], await Where(("LearningRate", "0.001")));
        Expect([1, 3], await Where(("LearningRate", "1e-3")));
        Expect([1, 3], await Where(("LearningRate", "1.0E-3")));
        Expect([4], await Where(("LearningRate", "0.0001")));
        Expect([3], await Where(("Epochs", "20")));
        Expect([3], await Where(("Epochs", "20.0")));
        Expect([1, 4], await Where(("Model", "{\"Layers\":2,\"Width\":64}")));
        Expect([1, 4], await Where(("Model", "{ \"Layers\": 2, \"Width\": 64 }")));

        // A value of another JSON kind never matches: "4" is not 4, 1 is not true, a missing member is nothing.
        Assert.Empty(await Where(("Model.Layers", "\"4\"")));
        Assert.Empty(await Where(("Dataset", "4")));
        Assert.Empty(await Where(("Shuffle", "1")));
        Assert.Empty(await Where(("Shuffle", "\"true\"")));
        Assert.Empty(await Where(("Model.Depth", "4")));
        Assert.Empty(await Where(("Model.Layers.Inner", "4")));
        Assert.Empty(await Where(("Layers", "4")));
        Assert.Empty(await Where(("Dataset", "null")));
        Assert.Empty(await Where(("Dataset", "\"MNIST\"")));

        await Assert.ThrowsAsync<ArgumentException>(() => Where(("Dataset", "mnist")));
        await Assert.ThrowsAsync<ArgumentException>(() => Where(("Dataset", "")));
    }

    [SkippableFact]
    public async Task Where_matches_json_null_members()
    {
        var withNull = Claim(1, p: P1);
        withNull = withNull with { ParamsJson = withNull.ParamsJson.Replace("\"mnist\"", "null", StringComparison.Ordinal) };
        await ClaimedAsync(withNull);
        await ClaimedAsync(Claim(2, p: P2));

        Expect([1], await Where(("Dataset", "null")));
        Expect([2], await Where(("Dataset", "\"cifar\"")));
    }

    [SkippableFact]
    public async Task Listing_finds_runs_by_component_hash()
    {
        await SeedQueryRunsAsync();
        var layers4 = P2.ComponentHashes["model"];
        var mnist = P1.ComponentHashes["data"];

        // Across experiments, runs created in the same instant are ordered by uid: compare as a set.
        Expect([2, 3, 5, 6], [.. (await Points(new RunQuery { Component = "model", ComponentHash = layers4 })).Order()]);
        Expect([2, 3, 5], await Points(new RunQuery { Experiment = "train", Component = "model", ComponentHash = layers4, OrderBy = RunOrder.Created }));
        Expect([1, 3, 5], await Points(new RunQuery { Experiment = "train", Component = "data", ComponentHash = mnist, OrderBy = RunOrder.Created }));
        Expect([1, 3, 5], await Points(new RunQuery { Experiment = "train", ComponentHash = mnist, OrderBy = RunOrder.Created }));
        Assert.Empty(await Points(new RunQuery { Component = "data", ComponentHash = layers4 }));
        Assert.Empty(await Points(new RunQuery { Component = "model", ComponentHash = "ffffffff" }));

        // A component alone: the runs that have it.
        await ClaimedAsync(Claim(7) with { ComponentHashes = new Dictionary<string, string>() });
        Expect([1, 2, 3, 4, 5, 6], [.. (await Points(new RunQuery { Component = "model" })).Order()]);
        Assert.Empty((await Ledger.GetAsync(KeyOf(7)))!.ComponentHashes);
    }

    [SkippableFact]
    public async Task Listing_filters_by_tag()
    {
        await SeedQueryRunsAsync();

        Expect([2], await Points(new RunQuery { Tag = "best" }));
        Expect([2], await Points(new RunQuery { Tag = "paper", Statuses = [RunStatus.Completed] }));
        Assert.Empty(await Points(new RunQuery { Tag = "bes" }));
        Assert.Empty(await Points(new RunQuery { Tag = "best", Statuses = [RunStatus.Failed] }));
    }

    [SkippableFact]
    public async Task Listing_orders_by_created_last_used_or_uid_both_ways_and_limits()
    {
        await SeedQueryRunsAsync();
        var train = new RunQuery { Experiment = "train" };

        Expect([1, 2, 3, 4, 5], await Points(train));
        Expect([5, 4, 3, 2, 1], await Points(train with { Descending = true }));
        Expect([5, 4], await Points(train with { Descending = true, Limit = 2 }));
        Expect([1], await Points(train with { Limit = 1 }));
        Assert.Empty(await Points(train with { Limit = 0 }));
        Expect([1, 2, 3, 4, 5], await Points(train with { OrderBy = RunOrder.Uid }));
        Expect([5, 4, 3, 2, 1], await Points(train with { OrderBy = RunOrder.Uid, Descending = true }));

        var later = DateTimeOffset.UtcNow + TimeSpan.FromDays(1);
        await Ledger.TouchAsync([KeyOf(3)], later);
        await Ledger.TouchAsync([KeyOf(1)], later + TimeSpan.FromHours(1));
        await Ledger.TouchAsync([KeyOf(4), KeyOf(2)], later - TimeSpan.FromHours(1));

        Expect([5, 2, 4, 3, 1], await Points(train with { OrderBy = RunOrder.LastUsed }));
        Expect([1, 3, 4, 2, 5], await Points(train with { OrderBy = RunOrder.LastUsed, Descending = true }));
        Expect([1, 3], await Points(train with { OrderBy = RunOrder.LastUsed, Descending = true, Limit = 2 }));
    }

    [SkippableFact]
    public async Task Statuses_of_thousands_of_hashes_come_back_in_one_call()
    {
        const int runs = 1500;
        for (var n = 1; n <= runs; n++)
        {
            var request = Claim(n);
            await ClaimedAsync(request);
            if (n % 3 == 0)
            {
                await Ledger.CompleteAsync(request.Key, request.Owner.Token, Done());
            }
            else if (n % 3 == 1)
            {
                await Ledger.FailAsync(request.Key, request.Owner.Token, Done(error: "e"));
            }
        }

        await CompletedAsync(runs + 1, version: 2);
        await CompletedAsync(runs + 2, experiment: "other");

        // Every recorded hash, twice as many absent ones, and the hashes of other versions and experiments.
        var asked = Enumerable.Range(1, runs * 3).Select(HashOf).ToArray();
        var statuses = await Ledger.GetStatusesAsync("train", 1, asked);

        Assert.Equal(runs, statuses.Count);
        for (var n = 1; n <= runs; n++)
        {
            var expected = (n % 3) switch { 0 => RunStatus.Completed, 1 => RunStatus.Failed, _ => RunStatus.Running };
            Assert.Equal(expected, statuses[HashOf(n)].Status);
            Assert.Equal(1, statuses[HashOf(n)].Attempt);
            Assert.Equal("fp-" + n.ToString(CultureInfo.InvariantCulture), statuses[HashOf(n)].RunnerFingerprint);
        }

        Assert.Equal(RunStatus.Completed, (await Ledger.GetStatusesAsync("train", 2, asked)).Single().Value.Status);
        Assert.Empty(await Ledger.GetStatusesAsync("train", 1, []));
        Assert.Empty(await Ledger.GetStatusesAsync("nope", 1, asked));
        Assert.Equal(3, (await Ledger.GetStatusesAsync("train", 1, [HashOf(1), HashOf(1), HashOf(2), HashOf(3), "not-a-hash"])).Count);
    }

    [SkippableFact]
    public async Task Getting_an_unknown_run_gives_null()
    {
        await CompletedAsync(1);

        Assert.Null(await Ledger.GetAsync(KeyOf(2)));
        Assert.Null(await Ledger.GetAsync(KeyOf(1, version: 2)));
        Assert.Null(await Ledger.GetAsync(KeyOf(1, experiment: "eval")));
        Assert.NotNull(await Ledger.GetAsync(KeyOf(1)));
    }
}
