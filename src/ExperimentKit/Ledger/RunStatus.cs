namespace ExperimentKit;

/// <summary>Where a run is in its life: <c>Pending → Running → Completed | Failed | Interrupted</c>.</summary>
/// <remarks>Only <see cref="Completed"/> runs are skipped by a sweep. A <see cref="Running"/> run whose lease has
/// expired, or whose owner process is gone from its host, is stale: it is taken over and resumed, never counted as failed.</remarks>
public enum RunStatus
{
    /// <summary>Queued, not yet claimed.</summary>
    Pending = 0,

    /// <summary>Claimed by an owner that renews its lease.</summary>
    Running = 1,

    /// <summary>Finished successfully; never run again unless forced.</summary>
    Completed = 2,

    /// <summary>The runner threw; the error text is kept and the run is retried on the next sweep.</summary>
    Failed = 3,

    /// <summary>Cancelled (Ctrl+C, SIGTERM, shutdown); resumed from its last checkpoint.</summary>
    Interrupted = 4,
}
