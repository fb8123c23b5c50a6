using Npgsql;
using NpgsqlTypes;

namespace ExperimentKit.Postgres;

public sealed partial class PostgresRunLedger
{
    private const string ClaimSql =
        $"SELECT {PostgresRunColumns.Select} FROM exk_claim(@e, @v, @h, @params, @canonical, @flat, @components, @host, @pid, @start, @token, @lease, @result, @fp, @meta, @force, @stale) r";

    /// <inheritdoc />
    /// <remarks>
    /// One call of <c>exk_claim</c>: a new row (the uid taken from the experiment's counter row in the same
    /// transaction), or a takeover of a row that is not completed and not under a live lease in the server's
    /// clock. A Running row whose owner is a process of this host that no longer exists is taken over at once
    /// by a second call naming that owner's token (unless <see cref="PostgresLedgerOptions.LeaseOnly"/>).
    /// </remarks>
    public async Task<ClaimResult> ClaimAsync(RunClaimRequest request, CancellationToken cancellationToken = default)
    {
        LedgerArguments.Claim(request);

        var flat = FlatParams.Flatten(request.ParamsJson);
        var components = StringMap(request.ComponentHashes) ?? "{}";
        var metadata = StringMap(request.Metadata);
        string? staleToken = null;
        for (var round = 0; ; round++)
        {
            var row = await WithRetryAsync("claim", (connection, _, ct) => ClaimOnceAsync(connection, request, flat, components, metadata, staleToken, ct), cancellationToken).ConfigureAwait(false);
            if (!string.Equals(row.Row.CanonicalJson, request.CanonicalJson, StringComparison.Ordinal))
            {
                throw new HashCollisionException(request.Key, row.Row.CanonicalJson, request.CanonicalJson);
            }

            if (row.Row.Status == RunStatus.Running && string.Equals(row.Row.Owner?.Token, request.Owner.Token, StringComparison.Ordinal))
            {
                return new ClaimResult(ClaimOutcome.Claimed, row.Row, row.ClaimedFrom);
            }

            if (row.Row.Status == RunStatus.Completed)
            {
                return new ClaimResult(ClaimOutcome.AlreadyCompleted, row.Row, RunStatus.Completed);
            }

            // Held by another owner: one more call takes it over if that owner is a dead process of this host.
            if (round == 0 && !_options.LeaseOnly && row.Row.Owner is { } owner && owner.IsGoneFromThisHost())
            {
                staleToken = owner.Token;
                continue;
            }

            return new ClaimResult(ClaimOutcome.HeldByOther, row.Row, row.Row.Status);
        }
    }

    private static async Task<(RunRow Row, RunStatus? ClaimedFrom)> ClaimOnceAsync(
        NpgsqlConnection connection, RunClaimRequest request, string flat, string components, string? metadata, string? staleToken, CancellationToken ct)
    {
        var owner = request.Owner;
        await using var command = Command(
            connection,
            ClaimSql,
            KeyParameters(
                request.Key,
                ("params", request.ParamsJson, NpgsqlDbType.Text),
                ("canonical", request.CanonicalJson, NpgsqlDbType.Text),
                ("flat", flat, NpgsqlDbType.Jsonb),
                ("components", components, NpgsqlDbType.Jsonb),
                ("host", owner.Host, NpgsqlDbType.Text),
                ("pid", owner.ProcessId, NpgsqlDbType.Integer),
                ("start", owner.ProcessStart.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                ("token", owner.Token, NpgsqlDbType.Text),
                ("lease", request.Lease, NpgsqlDbType.Interval),
                ("result", request.ResultFileName, NpgsqlDbType.Text),
                ("fp", request.RunnerFingerprint, NpgsqlDbType.Text),
                ("meta", metadata, NpgsqlDbType.Jsonb),
                ("force", request.Force, NpgsqlDbType.Boolean),
                ("stale", staleToken, NpgsqlDbType.Text)));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"exk_claim returned no row for {request.Key}.");
        }

        var row = PostgresRunColumns.Read(reader, request.Key.Experiment, out var claimedFrom);
        return (row, claimedFrom);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: the row is locked (or, for a new run, the experiment's uid counter row), then inserted
    /// or overwritten. A retry whose first try was applied finds the run completed with this result file and
    /// returns it.
    /// </remarks>
    public Task<RunRow> RegisterAsync(RunRegistration registration, CancellationToken cancellationToken = default)
    {
        LedgerArguments.Registration(registration);
        var flat = FlatParams.Flatten(registration.ParamsJson);
        var components = StringMap(registration.ComponentHashes) ?? "{}";
        var metadata = StringMap(registration.Metadata);
        return WithRetryAsync("register", (connection, attempt, ct) => RegisterOnceAsync(connection, registration, flat, components, metadata, attempt > 0, ct), cancellationToken);
    }

    private async Task<RunRow> RegisterOnceAsync(
        NpgsqlConnection connection, RunRegistration registration, string flat, string components, string? metadata, bool retry, CancellationToken ct)
    {
        var key = registration.Key;
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var existing = await SelectAsync(connection, key, forUpdate: true, ct).ConfigureAwait(false);
        if (existing is null)
        {
            // Lock the uid counter, then look again: a concurrent claim may have inserted the run meanwhile.
            await ExecuteAsync(connection, "INSERT INTO experiments (name) VALUES (@e) ON CONFLICT (name) DO NOTHING", ct, ("e", key.Experiment, NpgsqlDbType.Text)).ConfigureAwait(false);
            await ExecuteAsync(connection, "SELECT 1 FROM experiments WHERE name = @e FOR UPDATE", ct, ("e", key.Experiment, NpgsqlDbType.Text)).ConfigureAwait(false);
            existing = await SelectAsync(connection, key, forUpdate: true, ct).ConfigureAwait(false);
        }

        List<RunRow> written;
        if (existing is null)
        {
            await using var insert = Command(
                connection,
                $"""
                WITH uid AS (UPDATE experiments SET last_uid = last_uid + 1 WHERE name = @e RETURNING exp_id, last_uid)
                INSERT INTO runs AS r (experiment_id, version, hash, uid, status, attempt, created, finished, last_used,
                                       params_json, canonical_json, params_flat, component_hashes, result_file, metadata)
                SELECT exp_id, @v, @h, last_uid, 2, 1, now(), now(), now(), @params, @canonical, @flat, @components, @file, @meta FROM uid
                RETURNING {PostgresRunColumns.Select}
                """,
                RegisterParameters(registration, flat, components, metadata));
            written = await RowsAsync(insert, key.Experiment, ct).ConfigureAwait(false);
        }
        else
        {
            if (!string.Equals(existing.CanonicalJson, registration.CanonicalJson, StringComparison.Ordinal))
            {
                throw new HashCollisionException(key, existing.CanonicalJson, registration.CanonicalJson);
            }

            if (existing.Status == RunStatus.Completed)
            {
                if (retry && string.Equals(existing.ResultFile, registration.ResultFile, StringComparison.Ordinal) && existing.LeaseExpires is null)
                {
                    // The first try was applied and its reply lost.
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return existing;
                }

                throw new InvalidOperationException(
                    $"Run {key} (uid {existing.Uid}) is already completed; nothing was registered. Delete it first to register another result.");
            }

            if (existing.Status == RunStatus.Running && await IsLiveAsync(connection, existing, ct).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"Run {key} (uid {existing.Uid}) is running (process {existing.Owner?.ProcessId} on {existing.Owner?.Host}, lease until {existing.LeaseExpires:O}); nothing was registered.");
            }

            await using var update = Command(
                connection,
                $"""
                UPDATE runs r SET status = 2, lease_expires = NULL, finished = now(), last_used = now(), params_json = @params,
                    params_flat = @flat, component_hashes = @components, result_file = @file, error = NULL,
                    metadata = CASE WHEN @meta::jsonb IS NULL THEN metadata WHEN metadata IS NULL THEN @meta ELSE metadata || @meta END
                WHERE {ByKey}
                RETURNING {PostgresRunColumns.Select}
                """,
                RegisterParameters(registration, flat, components, metadata));
            written = await RowsAsync(update, key.Experiment, ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return written.Single();
    }

    private static (string, object?, NpgsqlDbType)[] RegisterParameters(RunRegistration registration, string flat, string components, string? metadata)
        => KeyParameters(
            registration.Key,
            ("params", registration.ParamsJson, NpgsqlDbType.Text),
            ("canonical", registration.CanonicalJson, NpgsqlDbType.Text),
            ("flat", flat, NpgsqlDbType.Jsonb),
            ("components", components, NpgsqlDbType.Jsonb),
            ("file", registration.ResultFile, NpgsqlDbType.Text),
            ("meta", metadata, NpgsqlDbType.Jsonb));

    /// <summary>Whether a Running row's lease is live in the server's clock and its owner not a dead process of this host.</summary>
    private async Task<bool> IsLiveAsync(NpgsqlConnection connection, RunRow row, CancellationToken ct)
    {
        if (row.LeaseExpires is not { } lease || row.Owner is null)
        {
            return false;
        }

        var now = (DateTimeOffset)(await ScalarAsync(connection, "SELECT clock_timestamp()", ct).ConfigureAwait(false) is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : DateTimeOffset.UtcNow);
        return lease > now && (_options.LeaseOnly || !row.Owner.IsGoneFromThisHost());
    }
}
