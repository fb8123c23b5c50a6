using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace ExperimentKit.Postgres;

public sealed partial class PostgresRunLedger
{
    private const string SubmissionColumns = "id, experiment, assignments::text, status, submitted, taken, owner_host, owner_pid, owner_start, owner_token, finished, error";

    /// <inheritdoc />
    /// <remarks>The insert carries a random request token, so a retry after a lost reply returns the submission instead of queuing it twice.</remarks>
    /// <exception cref="ArgumentException">The experiment name is empty or an assignment has no <c>=</c>.</exception>
    public Task<SweepSubmission> SubmitAsync(string experiment, IReadOnlyList<string> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experiment);
        ArgumentNullException.ThrowIfNull(assignments);
        foreach (var assignment in assignments)
        {
            if (assignment is null || assignment.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                throw new ArgumentException($"'{assignment}' is not an assignment; write Member=value1,value2.", nameof(assignments));
            }
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var list = LedgerJson.StringList(assignments);
        return WithRetryAsync("submit", async (connection, _, ct) =>
        {
            await using var insert = Command(
                connection,
                $"""
                INSERT INTO submissions (request_token, experiment, assignments, status, submitted) VALUES (@k, @e, @a, 0, clock_timestamp())
                ON CONFLICT (request_token) DO UPDATE SET request_token = excluded.request_token
                RETURNING {SubmissionColumns}
                """,
                ("k", token, NpgsqlDbType.Text),
                ("e", experiment, NpgsqlDbType.Text),
                ("a", list, NpgsqlDbType.Jsonb));
            return (await SubmissionsAsync(insert, ct).ConfigureAwait(false)).Single();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>FOR UPDATE SKIP LOCKED</c>: takers never wait for each other and never share a submission. One taken
    /// by a process of this host that no longer exists is taken again first.
    /// </remarks>
    public Task<SweepSubmission?> TakeSubmissionAsync(IReadOnlyCollection<string> experiments, RunOwner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(owner);
        if (experiments.Count == 0)
        {
            return Task.FromResult<SweepSubmission?>(null);
        }

        var names = experiments.ToArray();
        return WithRetryAsync("take submission", async (connection, attempt, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            if (attempt > 0)
            {
                // A retry after a lost reply: the first try may have taken one already.
                await using var mine = Command(connection, $"SELECT {SubmissionColumns} FROM submissions WHERE status = 1 AND owner_token = @k", ("k", owner.Token, NpgsqlDbType.Text));
                if ((await SubmissionsAsync(mine, ct).ConfigureAwait(false)).FirstOrDefault() is { } already)
                {
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return already;
                }
            }

            SweepSubmission? chosen = null;
            if (!_options.LeaseOnly)
            {
                await using var orphans = Command(
                    connection,
                    $"SELECT {SubmissionColumns} FROM submissions WHERE status = 1 AND owner_host = @host AND experiment = ANY(@x) ORDER BY id FOR UPDATE SKIP LOCKED",
                    ("host", owner.Host, NpgsqlDbType.Text),
                    ("x", names, NpgsqlDbType.Array | NpgsqlDbType.Text));
                chosen = (await SubmissionsAsync(orphans, ct).ConfigureAwait(false)).FirstOrDefault(s => s.TakenBy?.IsGoneFromThisHost() == true);
            }

            if (chosen is null)
            {
                await using var queued = Command(
                    connection,
                    $"SELECT {SubmissionColumns} FROM submissions WHERE status = 0 AND experiment = ANY(@x) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    ("x", names, NpgsqlDbType.Array | NpgsqlDbType.Text));
                chosen = (await SubmissionsAsync(queued, ct).ConfigureAwait(false)).FirstOrDefault();
            }

            if (chosen is null)
            {
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return null;
            }

            await using var take = Command(
                connection,
                $"UPDATE submissions SET status = 1, taken = clock_timestamp(), owner_host = @h, owner_pid = @p, owner_start = @s, owner_token = @k WHERE id = @id RETURNING {SubmissionColumns}",
                ("h", owner.Host, NpgsqlDbType.Text),
                ("p", owner.ProcessId, NpgsqlDbType.Integer),
                ("s", owner.ProcessStart.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                ("k", owner.Token, NpgsqlDbType.Text),
                ("id", chosen.Id, NpgsqlDbType.Bigint));
            var taken = (await SubmissionsAsync(take, ct).ConfigureAwait(false)).Single();
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (SweepSubmission?)taken;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not Done or Failed.</exception>
    /// <exception cref="KeyNotFoundException">There is no such submission.</exception>
    public async Task FinishSubmissionAsync(long id, SubmissionStatus status, string? error, CancellationToken cancellationToken = default)
    {
        if (status is not (SubmissionStatus.Done or SubmissionStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A submission finishes Done or Failed.");
        }

        var changed = await WithRetryAsync(
            "finish submission",
            (connection, _, ct) => ExecuteAsync(
                connection,
                "UPDATE submissions SET status = @s, finished = clock_timestamp(), error = @e WHERE id = @id",
                ct,
                ("s", (short)status, NpgsqlDbType.Smallint),
                ("e", error, NpgsqlDbType.Text),
                ("id", id, NpgsqlDbType.Bigint)),
            cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"There is no submission {id} in {Description}.");
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SweepSubmission>> ListSubmissionsAsync(CancellationToken cancellationToken = default)
        => WithRetryAsync("list submissions", async (connection, _, ct) =>
        {
            await using var select = Command(connection, $"SELECT {SubmissionColumns} FROM submissions ORDER BY id");
            return (IReadOnlyList<SweepSubmission>)await SubmissionsAsync(select, ct).ConfigureAwait(false);
        }, cancellationToken);

    private static async Task<List<SweepSubmission>> SubmissionsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var all = new List<SweepSubmission>();
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
            all.Add(new SweepSubmission
            {
                Id = r.GetInt64(0),
                Experiment = r.GetString(1),
                Assignments = LedgerJson.ReadStringList(r.GetString(2)),
                Status = (SubmissionStatus)r.GetInt16(3),
                Submitted = r.GetFieldValue<DateTimeOffset>(4),
                Taken = Time(5),
                TakenBy = r.IsDBNull(9) ? null : new RunOwner(r.GetString(6), r.GetInt32(7), r.GetFieldValue<DateTimeOffset>(8), r.GetString(9)),
                Finished = Time(10),
                Error = r.IsDBNull(11) ? null : r.GetString(11),
            });
        }

        return all;
    }
}
