namespace ExperimentKit.Ledger.Conformance;

public abstract partial class RunLedgerConformanceTests
{
    private const string Drop = "x'); DROP TABLE runs; --";
    private const string Quotes = "it's \"quoted\" \\ back`tick` ; -- comment /* c */ 0x00 ☃";

    [SkippableFact]
    public async Task Hostile_text_in_names_parameters_tags_and_notes_is_stored_as_data()
    {
        var experiment = "evil/" + Drop + "\" OR 1=1 --";
        var p = TestParams.For(1) with { Dataset = Quotes, Tag = Drop };
        var request = Claim(1, experiment: experiment, p: p, metadata: new Dictionary<string, string> { [Drop] = Quotes });
        var claimed = await ClaimedAsync(request);
        var done = await Ledger.CompleteAsync(request.Key, request.Owner.Token, new RunCompletion
        {
            Elapsed = TimeSpan.FromSeconds(1),
            Summary = new Dictionary<string, double> { [Drop] = 1 },
            Files = new Dictionary<string, string> { [Quotes] = Drop },
        });
        await Ledger.AnnotateAsync(request.Key, new RunAnnotation { SetNote = true, Note = Drop, AddTags = [Drop, Quotes] });
        await CompletedAsync(2);

        var row = await Ledger.GetAsync(request.Key);
        Assert.Equal(experiment, row!.Key.Experiment);
        Assert.Equal(p.ExactJson, row.ParamsJson);
        Assert.Equal(Quotes, row.Metadata[Drop]);
        Assert.Equal(1, row.Summary[Drop]);
        Assert.Equal(Drop, row.Files[Quotes]);
        Assert.Equal(Drop, row.Note);
        Assert.Equal(new[] { Drop, Quotes }.Order(StringComparer.Ordinal), row.Tags);
        Assert.Equal(1, claimed.Row.Uid);
        Assert.Equal(done.Uid, row.Uid);

        Assert.Equal([request.Key], (await Ledger.ListAsync(new RunQuery { Experiment = experiment })).Select(r => r.Key));
        Assert.Equal([request.Key], (await Ledger.ListAsync(new RunQuery { Tag = Drop })).Select(r => r.Key));
        Assert.Equal([request.Key], (await Ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Dataset"] = System.Text.Json.JsonSerializer.Serialize(Quotes) } })).Select(r => r.Key));
        Assert.Equal([request.Key], (await Ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Tag"] = "\"x'); DROP TABLE runs; --\"" } })).Select(r => r.Key));
        Assert.Equal(RunStatus.Completed, (await Ledger.GetStatusesAsync(experiment, 1, [HashOf(1), Drop])).Single().Value.Status);

        // Hostile text where SQL might be spliced in: names, paths, hashes and tags that match nothing.
        Assert.Empty(await Ledger.ListAsync(new RunQuery { Experiment = "train' OR '1'='1" }));
        Assert.Empty(await Ledger.ListAsync(new RunQuery { Tag = "best' OR '1'='1" }));
        Assert.Empty(await Ledger.ListAsync(new RunQuery { Component = "model' OR 1=1 --", ComponentHash = "' OR 1=1 --" }));
        Assert.Empty(await Ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Dataset') OR 1=1 --"] = "1" } }));
        Assert.Empty(await Ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Dataset"] = "\"') OR 1=1 --\"" } }));
        Assert.Empty(await Ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["Model.Layers\" OR 1=1 --"] = "2" } }));
        Assert.Null(await Ledger.GetAsync(new RunKey("train", 1, "' OR '1'='1")));
        Assert.False(await Ledger.DeleteAsync(new RunKey("train' OR '1'='1", 1, HashOf(2))));

        // Everything is still there.
        Assert.Equal(2, (await Ledger.ListAsync(new RunQuery())).Count);
        Assert.NotNull(await Ledger.GetAsync(KeyOf(2)));
    }

    [SkippableFact]
    public async Task Member_names_with_quotes_and_backslashes_can_be_queried()
    {
        var request = Claim(1);
        request = request with { ParamsJson = "{\"we\\\"ird\":{\"back\\\\slash\":3},\"plain\":1}" };
        await ClaimedAsync(request);
        await ClaimedAsync(Claim(2));

        var rows = await Ledger.ListAsync(new RunQuery { Where = new Dictionary<string, string> { ["we\"ird.back\\slash"] = "3" } });

        Assert.Equal([request.Key], rows.Select(r => r.Key));
    }
}
