using Microsoft.Data.Sqlite;

namespace ExperimentKit;

public sealed partial class SqliteRunLedger
{
    /// <summary>
    /// Inserts rows exactly as given, uids included, in one write transaction: the ledger rebuild of the
    /// <c>expkit</c> tool fills a new, empty ledger from run folders, whose names carry the uids. Each
    /// experiment's uid sequence is raised to its largest imported uid, so later claims never reuse one.
    /// </summary>
    /// <returns>How many rows were inserted; a row whose key or uid is already present is skipped.</returns>
    internal Task<int> ImportAsync(IEnumerable<RunRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                using var experiment = _connection.CreateCommand();
                experiment.CommandText = "INSERT INTO experiments (name, last_uid) VALUES ($e, $u) ON CONFLICT (name) DO UPDATE SET last_uid = max(last_uid, $u) RETURNING exp_id";
                var name = experiment.Parameters.Add("$e", SqliteType.Text);
                var uid = experiment.Parameters.Add("$u", SqliteType.Integer);
                using var exists = _connection.CreateCommand();
                exists.CommandText = "SELECT count(*) FROM runs WHERE experiment_id = $x AND ((version = $v AND hash = $h) OR uid = $u)";
                var existsExperiment = exists.Parameters.Add("$x", SqliteType.Integer);
                var existsVersion = exists.Parameters.Add("$v", SqliteType.Integer);
                var existsHash = exists.Parameters.Add("$h", SqliteType.Text);
                var existsUid = exists.Parameters.Add("$u", SqliteType.Integer);
                var inserted = 0;
                BeginWrite();
                try
                {
                    foreach (var row in rows)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Validate(row.Key);
                        name.Value = row.Key.Experiment;
                        uid.Value = row.Uid;
                        var experimentId = (long)experiment.ExecuteScalar()!;
                        existsExperiment.Value = experimentId;
                        existsVersion.Value = row.Key.Version;
                        existsHash.Value = row.Key.Hash;
                        existsUid.Value = row.Uid;
                        if ((long)exists.ExecuteScalar()! > 0)
                        {
                            continue;
                        }

                        Insert(experimentId, row);
                        inserted++;
                    }

                    Commit();
                }
                catch
                {
                    RollbackQuietly();
                    throw;
                }

                return Task.FromResult(inserted);
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }
}
