namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    [SkippableFact]
    public async Task Deleting_removes_the_row_and_its_uid_is_not_given_out_again()
    {
        await CompletedAsync(1);
        await CompletedAsync(2);

        Assert.True(await Ledger.DeleteAsync(KeyOf(2)));
        Assert.False(await Ledger.DeleteAsync(KeyOf(2)));
        Assert.False(await Ledger.DeleteAsync(KeyOf(9)));

        Assert.Null(await Ledger.GetAsync(KeyOf(2)));
        Assert.Empty(await Ledger.GetStatusesAsync("train", 1, [HashOf(2)]));
        Assert.Equal(new long[] { 1 }, Uids(await Ledger.ListAsync(new RunQuery())));

        // The same parameters run again as a new run with a new uid.
        var again = await ClaimedAsync(Claim(2));
        Assert.Null(again.PreviousStatus);
        Assert.Equal(1, again.Row.Attempt);
        Assert.Equal(3, again.Row.Uid);
    }

    [SkippableFact]
    public async Task Deleting_a_run_removes_it_from_component_queries()
    {
        await CompletedAsync(1, p: P1);
        await CompletedAsync(2, p: P4);
        var model = P1.ComponentHashes["model"];
        Assert.Equal(2, (await Ledger.ListAsync(new RunQuery { Component = "model", ComponentHash = model })).Count);

        await Ledger.DeleteAsync(KeyOf(1));

        Assert.Equal([KeyOf(2)], (await Ledger.ListAsync(new RunQuery { Component = "model", ComponentHash = model })).Select(r => r.Key));
    }

    [SkippableFact]
    public async Task Touching_sets_the_last_used_time_of_the_given_runs_only()
    {
        await CompletedAsync(1);
        await CompletedAsync(2);
        var untouched = await CompletedAsync(3);
        var usedAt = new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

        await Ledger.TouchAsync([KeyOf(1), KeyOf(2), KeyOf(99), KeyOf(1, version: 5)], usedAt);

        Assert.Equal(usedAt, (await Ledger.GetAsync(KeyOf(1)))!.LastUsed);
        Assert.Equal(usedAt, (await Ledger.GetAsync(KeyOf(2)))!.LastUsed);
        Assert.Equal(untouched.LastUsed, (await Ledger.GetAsync(KeyOf(3)))!.LastUsed);
        Assert.Null(await Ledger.GetAsync(KeyOf(99)));

        await Ledger.TouchAsync([], usedAt);
    }

    [SkippableFact]
    public async Task Annotating_sets_the_note_and_keeps_tags_sorted_and_distinct()
    {
        await CompletedAsync(1);

        var first = await Ledger.AnnotateAsync(KeyOf(1), new RunAnnotation { SetNote = true, Note = "baseline", AddTags = ["zeta", "alpha", "Beta", "alpha"] });
        Assert.Equal("baseline", first!.Note);
        Assert.Equal(["Beta", "alpha", "zeta"], first.Tags);

        var second = await Ledger.AnnotateAsync(KeyOf(1), new RunAnnotation { AddTags = ["mid", "zeta"], RemoveTags = ["alpha", "absent"] });
        Assert.Equal("baseline", second!.Note);
        Assert.Equal(["Beta", "mid", "zeta"], second.Tags);
        AssertSameRow(second, await Ledger.GetAsync(KeyOf(1)));

        var cleared = await Ledger.AnnotateAsync(KeyOf(1), new RunAnnotation { SetNote = true, Note = null, RemoveTags = ["Beta", "mid", "zeta"] });
        Assert.Null(cleared!.Note);
        Assert.Empty(cleared.Tags);
        AssertSameRow(cleared, await Ledger.GetAsync(KeyOf(1)));

        Assert.Null(await Ledger.AnnotateAsync(KeyOf(2), new RunAnnotation { SetNote = true, Note = "nobody" }));
    }

    [SkippableFact]
    public async Task Annotations_survive_later_attempts()
    {
        var first = Claim(1);
        await ClaimedAsync(first);
        await Ledger.AnnotateAsync(KeyOf(1), new RunAnnotation { SetNote = true, Note = "watch this", AddTags = ["flaky"] });
        await Ledger.FailAsync(first.Key, first.Owner.Token, Done(error: "boom"));

        var retry = Claim(1);
        var claimed = await ClaimedAsync(retry);
        var done = await Ledger.CompleteAsync(retry.Key, retry.Owner.Token, Done());

        Assert.Equal("watch this", claimed.Row.Note);
        Assert.Equal(["flaky"], done.Tags);
        Assert.Equal("watch this", done.Note);
    }
}
