namespace ExperimentKit;

/// <summary>
/// The only door to run state. Every backend (SQLite, PostgreSQL) implements this one interface and passes
/// one conformance test suite. Writes that change a run present the claim's owner token, so a caller whose
/// claim was taken over (its lease expired) can never overwrite the new owner's run.
/// </summary>
public interface IRunLedger : IAsyncDisposable
{
    /// <summary>A short description for logs and errors (never a password).</summary>
    string Description { get; }

    /// <summary>
    /// Atomically claims a run: inserts a new row (new uid, attempt 1), or takes over a row that is Pending,
    /// Failed, Interrupted or stale Running (attempt + 1; a Completed row only with <see cref="RunClaimRequest.Force"/>).
    /// </summary>
    /// <exception cref="HashCollisionException">A row with this key holds other canonical JSON.</exception>
    Task<ClaimResult> ClaimAsync(RunClaimRequest request, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of a claim the caller still owns.</summary>
    /// <returns>False when the claim is no longer the caller's (taken over or deleted).</returns>
    Task<bool> RenewLeaseAsync(RunKey key, string ownerToken, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Records success: status Completed, summary, files, elapsed; clears the lease.</summary>
    /// <exception cref="ClaimLostException">The caller no longer owns the run.</exception>
    Task<RunRow> CompleteAsync(RunKey key, string ownerToken, RunCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Records failure with its error text: status Failed.</summary>
    /// <exception cref="ClaimLostException">The caller no longer owns the run.</exception>
    Task<RunRow> FailAsync(RunKey key, string ownerToken, RunCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Records an interruption (cancellation, shutdown): status Interrupted, resumed later.</summary>
    /// <exception cref="ClaimLostException">The caller no longer owns the run.</exception>
    Task<RunRow> InterruptAsync(RunKey key, string ownerToken, RunCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Indexes a result produced elsewhere as a Completed run (a new row, or over a row that is not Completed or live Running).</summary>
    /// <exception cref="HashCollisionException">A row with this key holds other canonical JSON.</exception>
    /// <exception cref="InvalidOperationException">The run is already completed or running.</exception>
    Task<RunRow> RegisterAsync(RunRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>One run by key, or null.</summary>
    Task<RunRow?> GetAsync(RunKey key, CancellationToken cancellationToken = default);

    /// <summary>The status, attempt and runner fingerprint of each of many hashes of one experiment version in one round trip (absent hashes are left out).</summary>
    Task<IReadOnlyDictionary<string, RunStatusInfo>> GetStatusesAsync(string experiment, int version, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default);

    /// <summary>Runs matching a query.</summary>
    Task<IReadOnlyList<RunRow>> ListAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a run's row.</summary>
    /// <returns>Whether a row was deleted.</returns>
    Task<bool> DeleteAsync(RunKey key, CancellationToken cancellationToken = default);

    /// <summary>Sets the last-used time of runs (callers coalesce: at most one write per run per minute).</summary>
    Task TouchAsync(IReadOnlyCollection<RunKey> keys, DateTimeOffset usedAt, CancellationToken cancellationToken = default);

    /// <summary>Sets a run's note (null clears it) and adds or removes tags.</summary>
    /// <returns>The updated row, or null when there is no such run.</returns>
    Task<RunRow?> AnnotateAsync(RunKey key, RunAnnotation annotation, CancellationToken cancellationToken = default);

    /// <summary>Queues a sweep for a service-mode worker.</summary>
    /// <returns>The queued submission.</returns>
    Task<SweepSubmission> SubmitAsync(string experiment, IReadOnlyList<string> assignments, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically takes the oldest queued submission for one of <paramref name="experiments"/> (or one taken by a
    /// process of this host that no longer exists).
    /// </summary>
    /// <returns>The submission, now Taken by <paramref name="owner"/>, or null when none is waiting.</returns>
    Task<SweepSubmission?> TakeSubmissionAsync(IReadOnlyCollection<string> experiments, RunOwner owner, CancellationToken cancellationToken = default);

    /// <summary>Records how a taken submission ended (<see cref="SubmissionStatus.Done"/> or <see cref="SubmissionStatus.Failed"/>).</summary>
    Task FinishSubmissionAsync(long id, SubmissionStatus status, string? error, CancellationToken cancellationToken = default);

    /// <summary>Every submission, oldest first (queued, taken and finished).</summary>
    Task<IReadOnlyList<SweepSubmission>> ListSubmissionsAsync(CancellationToken cancellationToken = default);
}
