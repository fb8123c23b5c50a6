namespace ExperimentKit.Ledger.Conformance;

/// <summary>The sweep queue that service-mode workers take submissions from.</summary>
public abstract partial class RunLedgerConformanceTests
{
    [SkippableFact]
    public async Task Submissions_are_queued_in_order_with_their_assignments()
    {
        var first = await Ledger.SubmitAsync("train", ["LearningRate=1e-3,1e-2", "Epochs=range(10,50,10)"]);
        var second = await Ledger.SubmitAsync("eval", ["Split=test"]);

        Assert.True(second.Id > first.Id);
        Assert.Equal(SubmissionStatus.Queued, first.Status);
        AssertNow(first.Submitted);
        var all = await Ledger.ListSubmissionsAsync();
        Assert.Equal([first.Id, second.Id], all.Select(s => s.Id));
        Assert.Equal(["LearningRate=1e-3,1e-2", "Epochs=range(10,50,10)"], all[0].Assignments);
    }

    [SkippableFact]
    public async Task A_submission_is_taken_once_oldest_first_and_only_for_the_experiments_asked_for()
    {
        var train = await Ledger.SubmitAsync("train", ["A=1"]);
        await Ledger.SubmitAsync("eval", ["B=2"]);
        var train2 = await Ledger.SubmitAsync("train", ["A=3"]);

        var owner = LiveOwner();
        var taken = await Ledger.TakeSubmissionAsync(["train"], owner);
        Assert.Equal(train.Id, taken!.Id);
        Assert.Equal(SubmissionStatus.Taken, taken.Status);
        Assert.Equal(owner.Token, taken.TakenBy!.Token);

        Assert.Equal(train2.Id, (await Ledger.TakeSubmissionAsync(["train"], LiveOwner()))!.Id);
        Assert.Null(await Ledger.TakeSubmissionAsync(["train"], LiveOwner()));
        Assert.Null(await Ledger.TakeSubmissionAsync([], LiveOwner()));
    }

    [SkippableFact]
    public async Task Parallel_takers_never_share_a_submission()
    {
        for (var i = 0; i < 20; i++)
        {
            await Ledger.SubmitAsync("train", [$"A={i}"]);
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Ledger.TakeSubmissionAsync(["train"], LiveOwner()))));
        var ids = taken.Where(t => t is not null).Select(t => t!.Id).ToList();
        Assert.Equal(20, ids.Count);
        Assert.Equal(20, ids.Distinct().Count());
    }

    [SkippableFact]
    public async Task A_submission_taken_by_a_dead_process_of_this_host_is_taken_again()
    {
        var queued = await Ledger.SubmitAsync("train", ["A=1"]);
        var dead = LiveOwner() with { ProcessId = int.MaxValue };
        Assert.Equal(queued.Id, (await Ledger.TakeSubmissionAsync(["train"], dead))!.Id);
        Assert.Equal(queued.Id, (await Ledger.TakeSubmissionAsync(["train"], LiveOwner()))!.Id);
        Assert.Null(await Ledger.TakeSubmissionAsync(["train"], LiveOwner()));
    }

    [SkippableFact]
    public async Task Finished_submissions_keep_their_outcome_and_are_not_taken_again()
    {
        var ok = await Ledger.SubmitAsync("train", ["A=1"]);
        var bad = await Ledger.SubmitAsync("train", ["Nope=1"]);
        await Ledger.TakeSubmissionAsync(["train"], LiveOwner());
        await Ledger.TakeSubmissionAsync(["train"], LiveOwner());
        await Ledger.FinishSubmissionAsync(ok.Id, SubmissionStatus.Done, null);
        await Ledger.FinishSubmissionAsync(bad.Id, SubmissionStatus.Failed, "'Nope' names no member");

        var all = await Ledger.ListSubmissionsAsync();
        Assert.Equal(SubmissionStatus.Done, all[0].Status);
        AssertNow(all[0].Finished);
        Assert.Equal("'Nope' names no member", all[1].Error);
        Assert.Null(await Ledger.TakeSubmissionAsync(["train"], LiveOwner()));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Ledger.FinishSubmissionAsync(ok.Id, SubmissionStatus.Queued, null));
    }

    [SkippableFact]
    public async Task Submission_text_is_stored_as_data()
    {
        var evil = "'); DROP TABLE submissions; --";
        var s = await Ledger.SubmitAsync(evil, [$"Name={evil}"]);
        Assert.Equal(evil, (await Ledger.ListSubmissionsAsync()).Single(x => x.Id == s.Id).Experiment);
        Assert.Equal($"Name={evil}", (await Ledger.TakeSubmissionAsync([evil], LiveOwner()))!.Assignments.Single());
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.SubmitAsync("train", ["no equals sign"]));
    }
}
