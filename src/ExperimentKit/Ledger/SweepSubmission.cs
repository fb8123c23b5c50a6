namespace ExperimentKit;

/// <summary>Where a submitted sweep is in the queue.</summary>
public enum SubmissionStatus
{
    /// <summary>Waiting for a service-mode worker.</summary>
    Queued = 0,

    /// <summary>A worker took it and runs its points.</summary>
    Taken = 1,

    /// <summary>Every point was completed or skipped.</summary>
    Done = 2,

    /// <summary>The worker could not run it (unknown experiment, bad arguments) or some run failed; see the error.</summary>
    Failed = 3,
}

/// <summary>
/// A sweep queued for a long-running service-mode worker (<c>StopWhenDone=false</c>): the experiment and its
/// <c>Member=v1,v2</c> assignments, in the same syntax as the command line.
/// </summary>
public sealed record SweepSubmission
{
    /// <summary>The queue position (increasing).</summary>
    public required long Id { get; init; }

    /// <summary>The experiment name.</summary>
    public required string Experiment { get; init; }

    /// <summary>The assignments (<c>LearningRate=1e-3,1e-2</c>, <c>Epochs=range(10,50,10)</c>).</summary>
    public required IReadOnlyList<string> Assignments { get; init; }

    /// <summary>The state.</summary>
    public required SubmissionStatus Status { get; init; }

    /// <summary>When it was queued.</summary>
    public required DateTimeOffset Submitted { get; init; }

    /// <summary>When a worker took it.</summary>
    public DateTimeOffset? Taken { get; init; }

    /// <summary>The worker that took it.</summary>
    public RunOwner? TakenBy { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }
}
