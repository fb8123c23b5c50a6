using System.Globalization;
using ExperimentKit.Ledger.Conformance;

namespace ExperimentKit.Tests.Ledger;

/// <summary>Fills a ledger with realistic runs.</summary>
internal static class LedgerSeed
{
    public static string HashOf(int n) => n.ToString("x16", CultureInfo.InvariantCulture);

    public static RunClaimRequest Claim(int n, string experiment = "train", TimeSpan? lease = null) => new()
    {
        Key = new RunKey(experiment, 1, HashOf(n)),
        ParamsJson = TestParams.For(n).ExactJson,
        CanonicalJson = TestParams.For(n).CanonicalJson,
        ComponentHashes = TestParams.For(n).ComponentHashes,
        Owner = RunOwner.NewForCurrentProcess(),
        Lease = lease ?? TimeSpan.FromHours(1),
        ResultFileName = "result.json",
        RunnerFingerprint = "3f2a9c1b7d4e6f80",
        Metadata = new Dictionary<string, string> { ["host"] = "lab-01", ["git"] = "9fceb02d0ae598e95dc970b74767f19372d61af8", ["dirty"] = "false" },
    };

    public static RunCompletion Completion(int n) => new()
    {
        Elapsed = TimeSpan.FromMilliseconds(1000 + n),
        Summary = new Dictionary<string, double> { ["loss"] = 1.0 / (n + 3), ["accuracy"] = 0.9 + (n % 10 / 100.0), ["epochs"] = 10 },
        Files = new Dictionary<string, string> { ["model"] = $"train/{n:D4}-{HashOf(n)}/files/model.bin" },
    };

    /// <summary>Claims and completes runs <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static async Task CompleteAsync(IRunLedger ledger, int from, int to, string experiment = "train")
    {
        for (var n = from; n <= to; n++)
        {
            var request = Claim(n, experiment);
            var claim = await ledger.ClaimAsync(request);
            Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
            await ledger.CompleteAsync(request.Key, request.Owner.Token, Completion(n));
        }
    }
}
