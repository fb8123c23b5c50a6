using System.Globalization;

namespace ExperimentKit.Ledger.Conformance;

/// <summary>
/// The contract of <see cref="IRunLedger"/>, as tests every backend must pass. A backend's test project derives
/// from this class and returns a fresh, empty ledger from <see cref="CreateLedgerAsync"/> (one per test).
/// </summary>
/// <remarks>
/// Clock rules: times are compared with the ledger's stored precision (at worst a millisecond), and lease tests
/// use leases of a fraction of a second, so a backend whose clock is another machine's may be off by little.
/// </remarks>
public abstract partial class RunLedgerConformanceTests : IAsyncLifetime
{
    /// <summary>How far a ledger clock may be from this machine's in assertions about "now".</summary>
    protected static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(30);

    /// <summary>A lease long enough never to expire during a test.</summary>
    protected static readonly TimeSpan LongLease = TimeSpan.FromHours(1);

    /// <summary>A lease short enough to expire within a test.</summary>
    protected static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(150);

    private IRunLedger? _ledger;
    private string? _skipReason;

    /// <summary>
    /// The ledger under test. When <see cref="SkipReason"/> gave a reason, reading it throws xunit's
    /// <see cref="SkipException"/>: every test reads it first, inside the test method, where a
    /// <see cref="SkippableFactAttribute"/> turns that into a skipped test (an exception from the constructor
    /// or <see cref="InitializeAsync"/> would be a failure).
    /// </summary>
    protected IRunLedger Ledger
    {
        get
        {
            Skip.If(_skipReason is not null, _skipReason);
            return _ledger ?? throw new InvalidOperationException("The ledger is created in InitializeAsync.");
        }
    }

    /// <summary>A fresh, empty ledger.</summary>
    protected abstract Task<IRunLedger> CreateLedgerAsync();

    /// <summary>
    /// Why this backend cannot be tested here (no server, say), so every test is skipped with this reason; null
    /// (the default) to run them. A backend must return null when a missing dependency has to fail the tests (CI).
    /// </summary>
    protected virtual string? SkipReason() => null;

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _skipReason = SkipReason();
        if (_skipReason is null)
        {
            _ledger = await CreateLedgerAsync();
        }
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }
    }

    /// <summary>Waits until a <see cref="ShortLease"/> taken now has surely expired.</summary>
    protected static Task WaitForShortLeaseToExpire() => Task.Delay(ShortLease * 3);

    /// <summary>The 16-hex hash of test point <paramref name="n"/>.</summary>
    protected static string HashOf(int n) => n.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The key of test point <paramref name="n"/>.</summary>
    protected static RunKey KeyOf(int n, string experiment = "train", int version = 1) => new(experiment, version, HashOf(n));

    /// <summary>A live owner: this process, with a fresh token.</summary>
    protected static RunOwner LiveOwner() => RunOwner.NewForCurrentProcess();

    /// <summary>A claim of test point <paramref name="n"/> with parameters <paramref name="p"/> (default: derived from n).</summary>
    protected static RunClaimRequest Claim(
        int n,
        string experiment = "train",
        int version = 1,
        TestParams? p = null,
        RunOwner? owner = null,
        TimeSpan? lease = null,
        bool force = false,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        p ??= TestParams.For(n);
        return new RunClaimRequest
        {
            Key = KeyOf(n, experiment, version),
            ParamsJson = p.ExactJson,
            CanonicalJson = p.CanonicalJson,
            ComponentHashes = p.ComponentHashes,
            Owner = owner ?? LiveOwner(),
            Lease = lease ?? LongLease,
            ResultFileName = "result.json",
            RunnerFingerprint = "fp-" + n.ToString(CultureInfo.InvariantCulture),
            Metadata = metadata,
            Force = force,
        };
    }

    /// <summary>Claims and asserts the claim succeeded.</summary>
    protected async Task<ClaimResult> ClaimedAsync(RunClaimRequest request)
    {
        var result = await Ledger.ClaimAsync(request);
        Assert.Equal(ClaimOutcome.Claimed, result.Outcome);
        return result;
    }

    /// <summary>Claims and completes test point <paramref name="n"/>.</summary>
    protected async Task<RunRow> CompletedAsync(int n, string experiment = "train", int version = 1, TestParams? p = null, IReadOnlyDictionary<string, double>? summary = null)
    {
        var request = Claim(n, experiment, version, p);
        await ClaimedAsync(request);
        return await Ledger.CompleteAsync(request.Key, request.Owner.Token, Done(summary));
    }

    /// <summary>A completion.</summary>
    protected static RunCompletion Done(IReadOnlyDictionary<string, double>? summary = null, string? error = null, int elapsedMs = 1234) => new()
    {
        Elapsed = TimeSpan.FromMilliseconds(elapsedMs),
        Summary = summary,
        Error = error,
    };

    /// <summary>Asserts two rows hold the same data (dictionaries by content).</summary>
    protected static void AssertSameRow(RunRow expected, RunRow? actual) => RunRowAssert.Same(expected, actual);

    /// <summary>A map as a sorted list, for comparisons.</summary>
    protected static List<KeyValuePair<string, T>> Sorted<T>(IReadOnlyDictionary<string, T> map) => RunRowAssert.Sorted(map);

    /// <summary>Asserts a ledger time is this machine's now, give or take the clock tolerance.</summary>
    protected static void AssertNow(DateTimeOffset? time)
    {
        Assert.NotNull(time);
        Assert.InRange(time.Value, DateTimeOffset.UtcNow - ClockTolerance, DateTimeOffset.UtcNow + ClockTolerance);
    }

    /// <summary>The uids of rows.</summary>
    protected static long[] Uids(IEnumerable<RunRow> rows) => [.. rows.Select(r => r.Uid)];
}
