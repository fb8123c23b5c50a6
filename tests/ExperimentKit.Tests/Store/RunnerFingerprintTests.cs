namespace ExperimentKit.Tests.Store;

/// <summary>
/// A runner class in this project (the generator runs here as an analyzer): its fingerprint is registered
/// before any test code runs, and the store records it on the run's ledger row.
/// </summary>
public sealed class RunnerFingerprintTests
{
    [Fact]
    public void A_runner_class_has_a_16_hex_fingerprint()
    {
        var fingerprint = RunnerFingerprints.For(typeof(FingerprintRunner));
        Assert.NotNull(fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", fingerprint);
    }

    [Fact]
    public void A_type_that_is_no_runner_has_none()
        => Assert.Null(RunnerFingerprints.For(typeof(RunnerFingerprintTests)));

    [Fact]
    public async Task The_ledger_row_carries_the_runner_fingerprint()
    {
        using var root = new TempRoot("expkit-tests");
        await using var store = await ExperimentStore.OpenAsync(root.Path);
        var expected = RunnerFingerprints.For(typeof(FingerprintRunner));
        Assert.NotNull(expected);

        var record = await store.RunOrRetrieveAsync(new FingerprintParams(7), new FingerprintRunner());

        Assert.Equal(RunStatus.Completed, record.Status);
        var row = await store.Ledger.GetAsync(record.Key);
        Assert.NotNull(row);
        Assert.Equal(expected, row.RunnerFingerprint);
        Assert.Equal(expected, record.Row.RunnerFingerprint);
    }

    [Fact]
    public async Task A_delegate_runner_records_no_fingerprint()
    {
        using var root = new TempRoot("expkit-tests");
        await using var store = await ExperimentStore.OpenAsync(root.Path);

        var record = await store.RunOrRetrieveAsync(
            new FingerprintParams(8),
            static (p, run, ct) => File.WriteAllTextAsync(run.ResultPath, "{}", ct));

        var row = await store.Ledger.GetAsync(record.Key);
        Assert.NotNull(row);
        Assert.Null(row.RunnerFingerprint);
    }
}
