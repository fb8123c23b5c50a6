using Microsoft.Extensions.Logging;

namespace ExperimentKit.Hosting;

/// <summary>Every log line the worker writes, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Sweep of {Experiment} v{Version}: {Total} points, {Parallelism} at once, results in {Root}")]
    public static partial void SweepStarting(ILogger logger, string experiment, int version, string total, int parallelism, string root);

    [LoggerMessage(1001, LogLevel.Information, "Sweep of {Experiment} done: {Completed} run, {Skipped} skipped (already completed), {Failed} failed, in {Elapsed}")]
    public static partial void SweepFinished(ILogger logger, string experiment, long completed, long skipped, long failed, TimeSpan elapsed);

    [LoggerMessage(1002, LogLevel.Information, "{Done}/{Total} done ({Skipped} skipped, {Running} running, {Failed} failed), {Rate:F1} runs/s, ETA {Eta}")]
    public static partial void Progress(ILogger logger, long done, string total, long skipped, long running, long failed, double rate, string eta);

    [LoggerMessage(1003, LogLevel.Warning, "Run {Experiment} {Hash} failed on attempt {Attempt} of {MaxAttempts}: {Error}")]
    public static partial void RunFailed(ILogger logger, string experiment, string hash, int attempt, int maxAttempts, string error);

    [LoggerMessage(1004, LogLevel.Warning, "{Count} completed runs of {Experiment} were made by different runner code (OnCodeChange=Warn: kept, not re-run), e.g. {Example}. Set ExperimentKit:OnCodeChange=Rerun to run them again, or bump the experiment Version.")]
    public static partial void CodeChanged(ILogger logger, long count, string experiment, string example);

    [LoggerMessage(1005, LogLevel.Warning, "Run {Experiment} {Hash} was taken over by another worker after its lease lapsed; this worker's result was not recorded")]
    public static partial void ClaimLost(ILogger logger, string experiment, string hash);

    [LoggerMessage(1006, LogLevel.Information, "Stopping: {Running} running runs are cancelled and recorded Interrupted; they resume from their last checkpoint on the next start")]
    public static partial void Stopping(ILogger logger, long running);

    [LoggerMessage(1007, LogLevel.Critical, "Configuration error: {Message}")]
    public static partial void BadConfiguration(ILogger logger, string message);

    [LoggerMessage(1008, LogLevel.Critical, "Cannot open the ledger: {Message}")]
    public static partial void LedgerUnavailable(ILogger logger, string message);

    [LoggerMessage(1009, LogLevel.Information, "All sweeps done; exit code {ExitCode}")]
    public static partial void AllDone(ILogger logger, int exitCode);

    [LoggerMessage(1010, LogLevel.Error, "The sweep worker failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception);

    [LoggerMessage(1011, LogLevel.Information, "Service mode: waiting for sweeps submitted to {Ledger} for {Experiments} (expkit submit, or ExperimentStore.SubmitAsync)")]
    public static partial void Serving(ILogger logger, string ledger, string experiments);

    [LoggerMessage(1012, LogLevel.Information, "Took submission {Id}: {Experiment} {Assignments}")]
    public static partial void SubmissionTaken(ILogger logger, long id, string experiment, string assignments);

    [LoggerMessage(1013, LogLevel.Warning, "Submission {Id} for {Experiment} cannot run: {Error}")]
    public static partial void SubmissionRejected(ILogger logger, long id, string experiment, string error);
}
