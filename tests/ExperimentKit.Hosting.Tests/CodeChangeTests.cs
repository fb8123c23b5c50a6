using Microsoft.Extensions.Logging;

namespace ExperimentKit.Hosting.Tests;

/// <summary>
/// <c>OnCodeChange</c>: what a start does with completed runs made by other runner code. The fingerprints are
/// registered by hand (as the generated module initializer would after an edit); they are process-wide, so only
/// this class uses <see cref="CodeChangeRunner"/>, and its tests run one after another.
/// </summary>
public sealed class CodeChangeTests
{
    private const string OldCode = "0123456789abcdef";
    private const string NewCode = "fedcba9876543210";
    private static readonly Sweep<CodeChangeParams> Points = CodeChangeParams.Sweep(index: [0, 1, 2]);

    [Theory]
    [InlineData(CodeChangePolicy.Warn)]
    [InlineData(CodeChangePolicy.Rerun)]
    [InlineData(CodeChangePolicy.Ignore)]
    public async Task Completed_runs_of_changed_runner_code_are_skipped_with_a_warning_rerun_or_skipped_silently(CodeChangePolicy policy)
    {
        using var root = new TempRoot("expkit-hosting-tests");
        RunnerFingerprints.Register(typeof(CodeChangeRunner), OldCode);
        using (var first = Create(root.Path, policy))
        {
            Assert.Equal(ExitCodes.Success, await first.RunAsync());
            Assert.Equal(3, first.Probe.Calls.Count);
        }

        Assert.All(await LedgerAsync(root.Path), r => Assert.Equal(OldCode, r.Row.RunnerFingerprint));

        RunnerFingerprints.Register(typeof(CodeChangeRunner), NewCode);
        using (var dryRun = Create(root.Path, policy, "--dry-run"))
        {
            var output = new StringWriter();
            dryRun.Worker.DryRunOutput = output;
            Assert.Equal(ExitCodes.Success, await dryRun.RunAsync());
            var expected = policy switch
            {
                CodeChangePolicy.Warn => "skip: completed, runner code changed (Warn)",
                CodeChangePolicy.Rerun => "run: completed, runner code changed (Rerun)",
                _ => "skip: completed ",
            };
            Assert.Equal(3, output.ToString().Split('\n').Count(l => l.Contains(expected, StringComparison.Ordinal)));
            Assert.Empty(dryRun.Probe.Calls);
        }

        using (var second = Create(root.Path, policy))
        {
            Assert.Equal(ExitCodes.Success, await second.RunAsync());
            var warnings = second.Logs.AtLeast(LogLevel.Warning).ToList();
            var rows = await LedgerAsync(root.Path);
            switch (policy)
            {
                case CodeChangePolicy.Warn:
                    Assert.Empty(second.Probe.Calls);
                    var warning = Assert.Single(warnings);
                    Assert.Equal(1004, warning.EventId.Id);
                    Assert.Contains("3 completed runs of codechange were made by different runner code", warning.Message, StringComparison.Ordinal);
                    Assert.Contains("ExperimentKit:OnCodeChange=Rerun", warning.Message, StringComparison.Ordinal);
                    Assert.All(rows, r => Assert.Equal((1, OldCode), (r.Attempt, r.Row.RunnerFingerprint)));
                    break;
                case CodeChangePolicy.Rerun:
                    Assert.Equal(3, second.Probe.Calls.Count);
                    Assert.All(second.Probe.Calls, c => Assert.Equal((2, false), (c.Attempt, c.IsResume)));
                    Assert.Empty(warnings);
                    Assert.All(rows, r => Assert.Equal((RunStatus.Completed, 2, NewCode), (r.Status, r.Attempt, r.Row.RunnerFingerprint)));
                    break;
                default:
                    Assert.Empty(second.Probe.Calls);
                    Assert.Empty(warnings);
                    Assert.All(rows, r => Assert.Equal((1, OldCode), (r.Attempt, r.Row.RunnerFingerprint)));
                    break;
            }

            Assert.Equal(3, rows.Count);
        }

        // With the code unchanged since, a rerun does not happen twice.
        if (policy == CodeChangePolicy.Rerun)
        {
            using var third = Create(root.Path, policy);
            Assert.Equal(ExitCodes.Success, await third.RunAsync());
            Assert.Empty(third.Probe.Calls);
        }
    }

    private static HostedSweep Create(string root, CodeChangePolicy policy, params string[] args)
        => HostedSweep.Create(
            root,
            kit => kit.AddExperiment<CodeChangeParams, CodeChangeRunner>(Points),
            new Dictionary<string, string?> { ["ExperimentKit:OnCodeChange"] = policy.ToString() },
            args);

    private static async Task<IReadOnlyList<RunRecord<CodeChangeParams>>> LedgerAsync(string root)
        => await HostedSweep.LedgerAsync<CodeChangeParams>(root);
}
