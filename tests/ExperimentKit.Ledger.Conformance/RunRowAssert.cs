namespace ExperimentKit.Ledger.Conformance;

/// <summary>Assertions about <see cref="RunRow"/>s, for the conformance suite and backend-specific tests.</summary>
public static class RunRowAssert
{
    /// <summary>Asserts two rows hold the same data (maps by content, in any order).</summary>
    public static void Same(RunRow expected, RunRow? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Attempt, actual.Attempt);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.LeaseExpires, actual.LeaseExpires);
        Assert.Equal(expected.Created, actual.Created);
        Assert.Equal(expected.Started, actual.Started);
        Assert.Equal(expected.Finished, actual.Finished);
        Assert.Equal(expected.LastUsed, actual.LastUsed);
        Assert.Equal(expected.Elapsed, actual.Elapsed);
        Assert.Equal(expected.ParamsJson, actual.ParamsJson);
        Assert.Equal(expected.CanonicalJson, actual.CanonicalJson);
        Assert.Equal(Sorted(expected.ComponentHashes), Sorted(actual.ComponentHashes));
        Assert.Equal(expected.ResultFile, actual.ResultFile);
        Assert.Equal(Sorted(expected.Files), Sorted(actual.Files));
        Assert.Equal(Sorted(expected.Summary), Sorted(actual.Summary));
        Assert.Equal(Sorted(expected.Metadata), Sorted(actual.Metadata));
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.RunnerFingerprint, actual.RunnerFingerprint);
        Assert.Equal(expected.Note, actual.Note);
        Assert.Equal(expected.Tags, actual.Tags);
    }

    /// <summary>A map as a list sorted by key (ordinal), for comparisons.</summary>
    public static List<KeyValuePair<string, T>> Sorted<T>(IReadOnlyDictionary<string, T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return [.. map.OrderBy(kv => kv.Key, StringComparer.Ordinal)];
    }
}
