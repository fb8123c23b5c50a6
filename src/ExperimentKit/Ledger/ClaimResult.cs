namespace ExperimentKit;

/// <summary>How a claim ended.</summary>
public enum ClaimOutcome
{
    /// <summary>The caller now owns the run and must run it.</summary>
    Claimed,

    /// <summary>The run is already completed; nothing to do.</summary>
    AlreadyCompleted,

    /// <summary>Another live owner holds the run.</summary>
    HeldByOther,
}

/// <summary>The result of <see cref="IRunLedger.ClaimAsync"/>.</summary>
/// <param name="Outcome">How the claim ended.</param>
/// <param name="Row">The row after the claim (for <see cref="ClaimOutcome.Claimed"/>: Running, owned by the caller).</param>
/// <param name="PreviousStatus">The status before the claim, or null for a new row.</param>
public sealed record ClaimResult(ClaimOutcome Outcome, RunRow Row, RunStatus? PreviousStatus)
{
    /// <summary>Whether a claimed run continues an earlier attempt that was interrupted or whose owner died.</summary>
    public bool IsResume => Outcome == ClaimOutcome.Claimed && PreviousStatus is RunStatus.Running or RunStatus.Interrupted;
}
