using Microsoft.Data.Sqlite;

namespace ExperimentKit;

public sealed partial class SqliteRunLedger
{
    /// <inheritdoc />
    /// <remarks>One UPDATE guarded by the owner token and the Running status: a lease that was taken over is never extended.</remarks>
    public Task<bool> RenewLeaseAsync(RunKey key, string ownerToken, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        Validate(key);
        ValidateToken(ownerToken);
        LedgerArguments.Lease(lease);

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                var expires = SqliteRunColumns.Ms(Now() + lease);
                var renewed = SqliteLedgerStatements.BindKey(_statements.Renew, key).Set(3, ownerToken).Set(4, expires).Execute() == 1;
                return renewed ? True : False;
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
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

    private static readonly Task<bool> True = Task.FromResult(true);
    private static readonly Task<bool> False = Task.FromResult(false);

    private Task<RunRow> FinishAsync(RunKey key, string ownerToken, RunCompletion completion, RunStatus status, CancellationToken cancellationToken)
    {
        Validate(key);
        ValidateToken(ownerToken);
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Elapsed < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(completion), completion.Elapsed, "RunCompletion.Elapsed must not be negative.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                var finish = SqliteLedgerStatements.BindKey(_statements.Finish, key)
                    .Set(3, ownerToken)
                    .Set(4, (long)status)
                    .Set(5, SqliteRunColumns.Ms(Now()))
                    .Set(6, SqliteRunColumns.ElapsedMs(completion.Elapsed))
                    .Set(7, status == RunStatus.Completed ? 1L : 0L)
                    .Set(8, _json.NumberMap(completion.Summary))
                    .Set(9, _json.StringMap(completion.Files))
                    .Set(10, _json.StringMap(completion.Metadata))
                    .Set(11, status == RunStatus.Completed ? null : completion.Error);
                using var reader = finish.Query();
                if (!reader.Read())
                {
                    throw new ClaimLostException(key);
                }

                return Task.FromResult(SqliteRunColumns.Read(reader, key.Experiment, out _));
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }
}
