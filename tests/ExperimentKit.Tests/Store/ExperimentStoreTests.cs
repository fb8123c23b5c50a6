using System.Text;

namespace ExperimentKit.Tests.Store;

/// <summary>The store in one process: run once, retrieve, force, fail, interrupt, register, query, explain.</summary>
public sealed class ExperimentStoreTests : IAsyncLifetime
{
    private readonly TempRoot _root = new("expkit-tests");
    private ExperimentStore _store = null!;
    private int _executions;

    public async Task InitializeAsync() => _store = await ExperimentStore.OpenAsync(_root.Path);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _root.Dispose();
    }

    private static SimParams Point(double dt = 0.01, int steps = 100, int layers = 2) => new(dt, steps, new Net(layers, 64));

    private async Task Runner(SimParams p, RunContext run, CancellationToken ct)
    {
        Interlocked.Increment(ref _executions);
        run.Log(0, "loss", 1.0);
        run.Log(1, "loss", 0.5);
        run.Summary["loss"] = 0.5;
        await File.WriteAllTextAsync(run.ResultPath, $"{{\"dt\":{p.Dt}}}", ct);
    }

    [Fact]
    public async Task Run_or_retrieve_runs_a_new_point_once_and_then_retrieves_it()
    {
        var first = await _store.RunOrRetrieveAsync(Point(), Runner);
        var second = await _store.RunOrRetrieveAsync(Point(), Runner);

        Assert.Equal(1, _executions);
        Assert.Equal(RunStatus.Completed, first.Status);
        Assert.Equal(first.Uid, second.Uid);
        Assert.Equal(1, second.Attempt);
        Assert.Equal(0.5, second.Summary["loss"]);
        Assert.True(File.Exists(second.ResultPath));
        Assert.Equal(Path.Combine(_root.Path, "store", "sim", $"0001-{first.Hash}"), first.RunDirectory);
        Assert.True(File.Exists(Path.Combine(first.RunDirectory, "params.json")));
        Assert.True(File.Exists(Path.Combine(first.RunDirectory, "run.json")));
        Assert.Equal(2, (await _store.ReadMetricsAsync(first)).Count);
    }

    [Fact]
    public async Task Not_hashed_members_hit_the_same_run()
    {
        await _store.RunOrRetrieveAsync(Point(), Runner);
        var hit = await _store.RunOrRetrieveAsync(Point() with { Threads = 16 }, Runner);
        Assert.Equal(1, _executions);
        // The record carries the parameters the run was made with.
        Assert.Equal(1, hit.Params.Threads);
    }

    [Fact]
    public async Task Uids_count_up_per_experiment()
    {
        var a = await _store.RunOrRetrieveAsync(Point(steps: 1), Runner);
        var b = await _store.RunOrRetrieveAsync(Point(steps: 2), Runner);
        Assert.Equal([1L, 2L], new[] { a.Uid, b.Uid });
    }

    [Fact]
    public async Task Run_always_runs_and_records_a_new_attempt_of_the_same_run()
    {
        var first = await _store.RunOrRetrieveAsync(Point(), Runner);
        var again = await _store.RunAsync(Point(), Runner);
        Assert.Equal(2, _executions);
        Assert.Equal(first.Uid, again.Uid);
        Assert.Equal(2, again.Attempt);
        Assert.Equal(first.RunDirectory, again.RunDirectory);
    }

    [Fact]
    public async Task A_failing_runner_is_recorded_failed_with_its_error_and_retried_next_time()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _store.RunOrRetrieveAsync(Point(), (_, _, _) => throw new InvalidOperationException("diverged at step 7")));
        Assert.Equal("diverged at step 7", error.Message);

        var row = await _store.Ledger.GetAsync(RunKey.For(Point()));
        Assert.Equal(RunStatus.Failed, row!.Status);
        Assert.Contains("diverged at step 7", row.Error, StringComparison.Ordinal);
        Assert.Null(await _store.RetrieveAsync(Point()));

        var retried = await _store.RunOrRetrieveAsync(Point(), Runner);
        Assert.Equal(RunStatus.Completed, retried.Status);
        Assert.Equal(2, retried.Attempt);
    }

    [Fact]
    public async Task A_cancelled_run_is_interrupted_and_the_next_attempt_resumes_it()
    {
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.RunOrRetrieveAsync(Point(), async (_, run, ct) =>
        {
            await run.Checkpoints.SaveAsync(3, (s, c) => s.WriteAsync(Encoding.UTF8.GetBytes("3"), c).AsTask(), ct);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cancellationToken: cts.Token));

        Assert.Equal(RunStatus.Interrupted, (await _store.Ledger.GetAsync(RunKey.For(Point())))!.Status);

        bool? resumed = null;
        long? from = null;
        var record = await _store.RunOrRetrieveAsync(Point(), async (p, run, ct) =>
        {
            resumed = run.IsResume;
            from = (await run.Checkpoints.LatestAsync(ct))?.Step;
            await Runner(p, run, ct);
        });
        Assert.True(resumed);
        Assert.Equal(3, from);
        Assert.Equal(2, record.Attempt);
    }

    [Fact]
    public async Task Retrieve_reports_a_deleted_result_file_instead_of_pretending()
    {
        var record = await _store.RunOrRetrieveAsync(Point(), Runner);
        Assert.False(record.IsMissingResult);
        File.Delete(record.ResultPath!);
        var again = await _store.RetrieveAsync(Point());
        Assert.True(again!.IsMissingResult);
    }

    [Fact]
    public async Task Register_indexes_an_existing_result_and_refuses_a_missing_file()
    {
        var file = _root.Combine("external.csv");
        await File.WriteAllTextAsync(file, "x,y\n1,2\n");
        var registered = await _store.RegisterAsync(Point(dt: 0.5), file, new Dictionary<string, string> { ["source"] = "cluster" });
        Assert.Equal(RunStatus.Completed, registered.Status);
        Assert.Equal("cluster", registered.Metadata["source"]);
        Assert.Equal(Path.GetFullPath(file), registered.ResultPath);

        var hit = await _store.RunOrRetrieveAsync(Point(dt: 0.5), Runner);
        Assert.Equal(0, _executions);
        Assert.Equal(registered.Uid, hit.Uid);

        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.RegisterAsync(Point(dt: 0.6), _root.Combine("nope.csv")));
    }

    [Fact]
    public async Task List_filters_by_partial_parameters_including_nested_groups()
    {
        foreach (var layers in new[] { 2, 4 })
        {
            foreach (var dt in new[] { 0.1, 0.2 })
            {
                await _store.RunOrRetrieveAsync(Point(dt: dt, layers: layers), Runner);
            }
        }

        Assert.Equal(4, (await _store.ListAsync<SimParams>()).Count);
        var four = await _store.ListAsync<SimParams>(where: new Dictionary<string, object?> { ["Net.Layers"] = 4 });
        Assert.Equal(2, four.Count);
        Assert.All(four, r => Assert.Equal(4, r.Params.Net.Layers));
        var one = await _store.ListAsync<SimParams>(where: new Dictionary<string, object?> { ["net.layers"] = 4, ["Dt"] = 0.2 });
        Assert.Equal(0.2, Assert.Single(one).Params.Dt);
        Assert.Equal(4, (await _store.ListAsync<SimParams>(where: new Dictionary<string, object?> { ["Dataset"] = "mnist" })).Count);

        var typo = await Assert.ThrowsAsync<ArgumentException>(() => _store.ListAsync<SimParams>(where: new Dictionary<string, object?> { ["Net.Layres"] = 4 }));
        Assert.Contains("Net.Layers", typo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_is_the_most_recently_created_or_used_completed_run()
    {
        await _store.RunOrRetrieveAsync(Point(steps: 1), Runner);
        var last = await _store.RunOrRetrieveAsync(Point(steps: 2), Runner);
        Assert.Equal(last.Uid, (await _store.LatestAsync<SimParams>())!.Uid);
    }

    [Fact]
    public async Task Find_by_component_groups_runs_that_share_a_component()
    {
        var a = await _store.RunOrRetrieveAsync(Point(dt: 0.1, layers: 2), Runner);
        await _store.RunOrRetrieveAsync(Point(dt: 0.2, layers: 2), Runner);
        await _store.RunOrRetrieveAsync(Point(dt: 0.1, layers: 8), Runner);

        var sameNet = await _store.FindByComponentAsync<SimParams>("net", a.Params.ComputeComponentHashes()["net"]);
        Assert.Equal(2, sameNet.Count);
        Assert.All(sameNet, r => Assert.Equal(2, r.Params.Net.Layers));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.FindByComponentAsync<SimParams>("optimizer", "00000000"));
    }

    [Fact]
    public async Task Delete_removes_the_row_and_optionally_the_folder()
    {
        var record = await _store.RunOrRetrieveAsync(Point(), Runner);
        Assert.True(await _store.DeleteAsync(Point(), removeFiles: true));
        Assert.False(Directory.Exists(record.RunDirectory));
        Assert.Null(await _store.RetrieveAsync(Point()));
        Assert.False(await _store.DeleteAsync(Point()));
    }

    [Fact]
    public void Diff_names_changed_components_and_fields()
    {
        var diff = ExperimentStore.Diff(Point(layers: 2), Point(layers: 4) with { Threads = 8 });
        Assert.Equal(["net"], diff.ChangedComponents);
        Assert.Equal(["Net.Layers", "Threads"], diff.Fields.Select(f => f.Path));
        Assert.Equal(("2", "4"), (diff.Fields[0].Left, diff.Fields[0].Right));
        Assert.False(diff.Fields[1].IsHashed);
        Assert.False(diff.SameHash);
        Assert.True(ExperimentStore.Diff(Point(), Point() with { Threads = 3 }).SameHash);
    }

    [Fact]
    public async Task Explain_miss_names_the_nearest_runs_and_the_fields_that_differ()
    {
        await _store.RunOrRetrieveAsync(Point(dt: 0.01, layers: 2), Runner);
        await _store.RunOrRetrieveAsync(Point(dt: 0.5, layers: 8), Runner);

        var why = await _store.ExplainMissAsync(Point(dt: 0.01, layers: 3));
        Assert.Null(why.Recorded);
        var nearest = why.Nearest[0];
        Assert.Equal(["Net.Layers"], nearest.Differences.Select(d => d.Path));
        Assert.Contains("Net.Layers", why.Summary, StringComparison.Ordinal);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.RunOrRetrieveAsync(Point(steps: 9), (_, _, _) => throw new InvalidOperationException("boom")));
        var failed = await _store.ExplainMissAsync(Point(steps: 9));
        Assert.Equal(RunStatus.Failed, failed.Recorded!.Status);
        Assert.Contains("Failed", failed.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_parameter_sets_with_one_key_are_refused_not_overwritten()
    {
        // Forge a row whose key is this point's but whose canonical JSON is another's.
        var p = Point();
        var key = RunKey.For(p);
        var claim = await _store.Ledger.ClaimAsync(new RunClaimRequest
        {
            Key = key,
            ParamsJson = ParameterJson.Serialize(Point(dt: 9)),
            CanonicalJson = Point(dt: 9).ToCanonicalJson(),
            ComponentHashes = Point(dt: 9).ComputeComponentHashes(),
            Owner = RunOwner.NewForCurrentProcess(),
            Lease = TimeSpan.FromSeconds(30),
        });
        await _store.Ledger.CompleteAsync(key, claim.Row.Owner!.Token, new RunCompletion { Elapsed = TimeSpan.Zero });

        var error = await Assert.ThrowsAsync<HashCollisionException>(() => _store.RunOrRetrieveAsync(p, Runner));
        Assert.Contains(key.Hash, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _executions);
        Assert.Equal(Point(dt: 9).ToCanonicalJson(), (await _store.Ledger.GetAsync(key))!.CanonicalJson);
    }

    [Fact]
    public async Task Notes_and_tags_are_recorded()
    {
        await _store.RunOrRetrieveAsync(Point(), Runner);
        await _store.SetNoteAsync(Point(), "the good one");
        var tagged = await _store.TagAsync(Point(), "baseline", "paper");
        Assert.Equal("the good one", tagged!.Row.Note);
        Assert.Equal(["baseline", "paper"], tagged.Row.Tags);
        await Assert.ThrowsAsync<ArgumentException>(() => _store.TagAsync(Point(), " padded "));
    }

    [Fact]
    public async Task Runs_record_metadata_and_elapsed_time()
    {
        var record = await _store.RunOrRetrieveAsync(Point(), Runner, new Dictionary<string, string> { ["purpose"] = "test" });
        Assert.Equal("test", record.Metadata["purpose"]);
        Assert.Equal(Environment.MachineName, record.Metadata["host"]);
        Assert.NotNull(record.Row.Elapsed);
    }
}
