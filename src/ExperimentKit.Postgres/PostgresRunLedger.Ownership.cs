using Npgsql;
using NpgsqlTypes;

namespace ExperimentKit.Postgres;

public sealed partial class PostgresRunLedger
{
    /// <inheritdoc />
    /// <remarks>One UPDATE guarded by the owner token and the Running status; the lease ends at the server's now + <paramref name="lease"/>.</remarks>
    public Task<bool> RenewLeaseAsync(RunKey key, string ownerToken, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        Validate(key);
        ValidateToken(ownerToken);
        LedgerArguments.Lease(lease);

        return WithRetryAsync(
            "renew",
            async (connection, _, ct) => await ExecuteAsync(
                connection,
                $"UPDATE runs r SET lease_expires = clock_timestamp() + @l WHERE {ByKey} AND r.owner_token = @t AND r.status = 1",
                ct,
                KeyParameters(key, ("t", ownerToken, NpgsqlDbType.Text), ("l", lease, NpgsqlDbType.Interval))).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Summary and files replace those of earlier attempts; metadata is merged; the error is cleared.</remarks>
    public Task<RunRow> CompleteAsync(RunKey key, string ownerToken, RunCompletion completion, CancellationToken cancellationToken = default)
        => FinishAsync(key, ownerToken, completion, RunStatus.Completed, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The error text is kept until the run is claimed again; a summary or files, when given, replace the earlier ones.</remarks>
    public Task<RunRow> FailAsync(RunKey key, string ownerToken, RunCompletion completion, CancellationToken cancellationToken = default)
        => FinishAsync(key, ownerToken, completion, RunStatus.Failed, cancellationToken);

    /// <inheritdoc />
    public Task<RunRow> InterruptAsync(RunKey key, string ownerToken, RunCompletion completion, CancellationToken cancellationToken = default)
        => FinishAsync(key, ownerToken, completion, RunStatus.Interrupted, cancellationToken);

    private const string FinishSql = $"""
        UPDATE runs r SET
            status = @s, lease_expires = NULL, finished = clock_timestamp(), last_used = clock_timestamp(), elapsed_ms = @el,
            summary = CASE WHEN @replace THEN @sum ELSE coalesce(@sum, summary) END,
            files = CASE WHEN @replace THEN @files ELSE coalesce(@files, files) END,
            metadata = CASE WHEN @meta::jsonb IS NULL THEN metadata WHEN metadata IS NULL THEN @meta ELSE metadata || @meta END,
            error = @err
        WHERE {ByKey} AND r.owner_token = @t AND r.status = 1
        RETURNING {PostgresRunColumns.Select}
        """;

    private Task<RunRow> FinishAsync(RunKey key, string ownerToken, RunCompletion completion, RunStatus status, CancellationToken cancellationToken)
    {
        Validate(key);
        ValidateToken(ownerToken);
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Elapsed < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(completion), completion.Elapsed, "RunCompletion.Elapsed must not be negative.");
        }

        var json = new LedgerJson();
        var parameters = KeyParameters(
            key,
            ("t", ownerToken, NpgsqlDbType.Text),
            ("s", (short)status, NpgsqlDbType.Smallint),
            ("el", PostgresRunColumns.ElapsedMs(completion.Elapsed), NpgsqlDbType.Bigint),
            ("replace", status == RunStatus.Completed, NpgsqlDbType.Boolean),
            ("sum", json.NumberMap(completion.Summary), NpgsqlDbType.Text),
            ("files", json.StringMap(completion.Files), NpgsqlDbType.Jsonb),
            ("meta", json.StringMap(completion.Metadata), NpgsqlDbType.Jsonb),
            ("err", status == RunStatus.Completed ? null : completion.Error, NpgsqlDbType.Text));
        return WithRetryAsync("finish", async (connection, attempt, ct) =>
        {
            await using var command = Command(connection, FinishSql, parameters);
            if ((await RowsAsync(command, key.Experiment, ct).ConfigureAwait(false)).SingleOrDefault() is { } row)
            {
                return row;
            }

            // A retry after a lost reply: the first try ended the attempt, so the row is ours in the target state.
            if (attempt > 0 && await SelectAsync(connection, key, forUpdate: false, ct).ConfigureAwait(false) is { } current
                && current.Status == status && current.LeaseExpires is null && string.Equals(current.Owner?.Token, ownerToken, StringComparison.Ordinal))
            {
                return current;
            }

            throw new ClaimLostException(key);
        }, cancellationToken);
    }
}
