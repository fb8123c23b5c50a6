using Microsoft.Data.Sqlite;

namespace ExperimentKit;

public sealed partial class SqliteRunLedger
{
    /// <inheritdoc />
    /// <remarks>
    /// One <c>BEGIN IMMEDIATE</c> transaction: read the row, then insert it (allocating the uid) or take it over.
    /// A Running row is stale when its lease has expired in the ledger clock or its owner process is gone from
    /// this host; a stale row is taken over like an interrupted one (<see cref="ClaimResult.IsResume"/>).
    /// </remarks>
    public Task<ClaimResult> ClaimAsync(RunClaimRequest request, CancellationToken cancellationToken = default)
    {
        LedgerArguments.Claim(request);

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                return Task.FromResult(Claim(request));
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }

    /// <inheritdoc />
    public Task<RunRow> RegisterAsync(RunRegistration registration, CancellationToken cancellationToken = default)
    {
        LedgerArguments.Registration(registration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                return Task.FromResult(Register(registration));
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }

    private ClaimResult Claim(RunClaimRequest request)
    {
        var key = request.Key;
        var now = Now();
        var owner = Stored(request.Owner);
        var lease = SqliteRunColumns.Truncate(now + request.Lease);
        BeginWrite();
        try
        {
            var existing = Select(key, out var id);
            if (existing is null)
            {
                var (experimentId, uid) = NextUid(key.Experiment);
                var row = new RunRow
                {
                    Key = key,
                    Uid = uid,
                    Status = RunStatus.Running,
                    Attempt = 1,
                    Owner = owner,
                    LeaseExpires = lease,
                    Created = now,
                    Started = now,
                    LastUsed = now,
                    ParamsJson = request.ParamsJson,
                    CanonicalJson = request.CanonicalJson,
                    ComponentHashes = Copy(request.ComponentHashes),
                    ResultFile = ResultFileOf(key, uid, request.ResultFileName),
                    Metadata = Copy(request.Metadata),
                    RunnerFingerprint = request.RunnerFingerprint,
                };
                Insert(experimentId, row);
                Commit();
                return new ClaimResult(ClaimOutcome.Claimed, row, null);
            }

            ThrowIfCollision(existing, request.CanonicalJson);
            if (existing.Status == RunStatus.Completed && !request.Force)
            {
                Commit();
                return new ClaimResult(ClaimOutcome.AlreadyCompleted, existing, existing.Status);
            }

            if (existing.Status == RunStatus.Running && !IsStale(existing, now))
            {
                Commit();
                return new ClaimResult(ClaimOutcome.HeldByOther, existing, existing.Status);
            }

            var taken = existing with
            {
                Status = RunStatus.Running,
                Attempt = existing.Attempt + 1,
                Owner = owner,
                LeaseExpires = lease,
                Started = now,
                LastUsed = now,
                ParamsJson = request.ParamsJson,
                ComponentHashes = Copy(request.ComponentHashes),
                ResultFile = ResultFileOf(key, existing.Uid, request.ResultFileName) ?? existing.ResultFile,
                Metadata = Merge(existing.Metadata, request.Metadata),
                RunnerFingerprint = request.RunnerFingerprint ?? existing.RunnerFingerprint,

                // The error belongs to the attempt that failed; the new attempt starts clean.
                Error = null,
            };
            Update(id, taken);
            Commit();
            return new ClaimResult(ClaimOutcome.Claimed, taken, existing.Status);
        }
        catch
        {
            RollbackQuietly();
            throw;
        }
    }

    private RunRow Register(RunRegistration registration)
    {
        var key = registration.Key;
        var now = Now();
        BeginWrite();
        try
        {
            var existing = Select(key, out var id);
            if (existing is null)
            {
                var (experimentId, uid) = NextUid(key.Experiment);
                var row = new RunRow
                {
                    Key = key,
                    Uid = uid,
                    Status = RunStatus.Completed,
                    Attempt = 1,
                    Created = now,
                    Finished = now,
                    LastUsed = now,
                    ParamsJson = registration.ParamsJson,
                    CanonicalJson = registration.CanonicalJson,
                    ComponentHashes = Copy(registration.ComponentHashes),
                    ResultFile = registration.ResultFile,
                    Metadata = Copy(registration.Metadata),
                };
                Insert(experimentId, row);
                Commit();
                return row;
            }

            ThrowIfCollision(existing, registration.CanonicalJson);
            if (existing.Status == RunStatus.Completed)
            {
                throw new InvalidOperationException(
                    $"Run {key} (uid {existing.Uid}) is already completed; nothing was registered. Delete it first to register another result.");
            }

            if (existing.Status == RunStatus.Running && !IsStale(existing, now))
            {
                throw new InvalidOperationException(
                    $"Run {key} (uid {existing.Uid}) is running (process {existing.Owner?.ProcessId} on {existing.Owner?.Host}, lease until {existing.LeaseExpires:O}); nothing was registered.");
            }

            var registered = existing with
            {
                Status = RunStatus.Completed,
                LeaseExpires = null,
                Finished = now,
                LastUsed = now,
                ParamsJson = registration.ParamsJson,
                ComponentHashes = Copy(registration.ComponentHashes),
                ResultFile = registration.ResultFile,
                Metadata = Merge(existing.Metadata, registration.Metadata),
                Error = null,
            };
            Update(id, registered);
            Commit();
            return registered;
        }
        catch
        {
            RollbackQuietly();
            throw;
        }
    }

    private static void ThrowIfCollision(RunRow existing, string canonicalJson)
    {
        if (!string.Equals(existing.CanonicalJson, canonicalJson, StringComparison.Ordinal))
        {
            throw new HashCollisionException(existing.Key, existing.CanonicalJson, canonicalJson);
        }
    }

    /// <summary>Whether a Running row may be taken over: its lease ended, or its owner process is gone from this host.</summary>
    private static bool IsStale(RunRow row, DateTimeOffset now)
        => row.LeaseExpires is not { } lease || lease <= now || row.Owner is null || row.Owner.IsGoneFromThisHost();

    /// <summary>The result file relative to the root: the run folder depends on the uid assigned here.</summary>
    private static string? ResultFileOf(RunKey key, long uid, string? fileName)
        => fileName is null ? null : RunPaths.RelativeDirectory(key.Experiment, uid, key.Hash) + "/" + fileName;
}
