using Microsoft.Data.Sqlite;

namespace ExperimentKit;

public sealed partial class SqliteRunLedger
{
    private const string SubmissionColumns = "id, experiment, assignments, status, submitted_ms, taken_ms, owner_host, owner_pid, owner_start_ms, owner_token, finished_ms, error";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The experiment name is empty or an assignment has no <c>=</c>.</exception>
    public Task<SweepSubmission> SubmitAsync(string experiment, IReadOnlyList<string> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experiment);
        ArgumentNullException.ThrowIfNull(assignments);
        foreach (var assignment in assignments)
        {
            if (assignment is null || assignment.IndexOf('=') <= 0)
            {
                throw new ArgumentException($"'{assignment}' is not an assignment; write Member=value1,value2.", nameof(assignments));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Locked(() =>
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = $"INSERT INTO submissions (experiment, assignments, status, submitted_ms) VALUES ($e, $a, 0, $t) RETURNING {SubmissionColumns}";
            insert.Parameters.AddWithValue("$e", experiment);
            insert.Parameters.AddWithValue("$a", LedgerJson.StringList(assignments));
            insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            using var reader = insert.ExecuteReader();
            reader.Read();
            return ReadSubmission(reader);
        }));
    }

    /// <inheritdoc />
    public Task<SweepSubmission?> TakeSubmissionAsync(IReadOnlyCollection<string> experiments, RunOwner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(owner);
        cancellationToken.ThrowIfCancellationRequested();
        if (experiments.Count == 0)
        {
            return Task.FromResult<SweepSubmission?>(null);
        }

        return Task.FromResult(Locked(() =>
        {
            BeginWrite();
            try
            {
                SweepSubmission? chosen = null;
                using (var select = _connection.CreateCommand())
                {
                    select.CommandText = $"SELECT {SubmissionColumns} FROM submissions WHERE status IN (0, 1) ORDER BY id";
                    using var reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        var candidate = ReadSubmission(reader);
                        if (!experiments.Contains(candidate.Experiment))
                        {
                            continue;
                        }

                        // A submission taken by a process of this host that has died is waiting again.
                        if (candidate.Status == SubmissionStatus.Queued || candidate.TakenBy?.IsGoneFromThisHost() == true)
                        {
                            chosen = candidate;
                            break;
                        }
                    }
                }

                if (chosen is null)
                {
                    Commit();
                    return null;
                }

                var now = DateTimeOffset.UtcNow;
                using (var take = _connection.CreateCommand())
                {
                    take.CommandText = "UPDATE submissions SET status = 1, taken_ms = $t, owner_host = $h, owner_pid = $p, owner_start_ms = $s, owner_token = $k WHERE id = $id";
                    take.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
                    take.Parameters.AddWithValue("$h", owner.Host);
                    take.Parameters.AddWithValue("$p", owner.ProcessId);
                    take.Parameters.AddWithValue("$s", owner.ProcessStart.ToUnixTimeMilliseconds());
                    take.Parameters.AddWithValue("$k", owner.Token);
                    take.Parameters.AddWithValue("$id", chosen.Id);
                    take.ExecuteNonQuery();
                }

                Commit();
                return chosen with { Status = SubmissionStatus.Taken, Taken = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), TakenBy = owner };
            }
            catch
            {
                RollbackQuietly();
                throw;
            }
        }));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not Done or Failed.</exception>
    /// <exception cref="KeyNotFoundException">There is no such submission.</exception>
    public Task FinishSubmissionAsync(long id, SubmissionStatus status, string? error, CancellationToken cancellationToken = default)
    {
        if (status is not (SubmissionStatus.Done or SubmissionStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A submission finishes Done or Failed.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var changed = Locked(() =>
        {
            using var finish = _connection.CreateCommand();
            finish.CommandText = "UPDATE submissions SET status = $s, finished_ms = $t, error = $e WHERE id = $id";
            finish.Parameters.AddWithValue("$s", (int)status);
            finish.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            finish.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
            finish.Parameters.AddWithValue("$id", id);
            return finish.ExecuteNonQuery();
        });
        return changed == 0 ? throw new KeyNotFoundException($"There is no submission {id} in {_path}.") : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SweepSubmission>> ListSubmissionsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<SweepSubmission>>(Locked(() =>
        {
            using var select = _connection.CreateCommand();
            select.CommandText = $"SELECT {SubmissionColumns} FROM submissions ORDER BY id";
            using var reader = select.ExecuteReader();
            var all = new List<SweepSubmission>();
            while (reader.Read())
            {
                all.Add(ReadSubmission(reader));
            }

            return all;
        }));
    }



    private T Locked<T>(Func<T> work)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                return work();
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }

    private static SweepSubmission ReadSubmission(SqliteDataReader r)
    {
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        return new SweepSubmission
        {
            Id = r.GetInt64(0),
            Experiment = r.GetString(1),
            Assignments = LedgerJson.ReadStringList(r.GetString(2)),
            Status = (SubmissionStatus)r.GetInt32(3),
            Submitted = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
            Taken = Time(5),
            TakenBy = r.IsDBNull(6) ? null : new RunOwner(r.GetString(6), r.GetInt32(7), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), r.GetString(9)),
            Finished = Time(10),
            Error = r.IsDBNull(11) ? null : r.GetString(11),
        };
    }
}
