using Microsoft.Data.Sqlite;

namespace ExperimentKit;

public sealed partial class SqliteRunLedger
{
    /// <inheritdoc />
    /// <remarks>The uid of a deleted run is never given out again. A claim holder of a deleted run gets <see cref="ClaimLostException"/>.</remarks>
    public Task<bool> DeleteAsync(RunKey key, CancellationToken cancellationToken = default)
    {
        Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                return SqliteLedgerStatements.BindKey(_statements.Delete, key).Execute() > 0 ? True : False;
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>All keys in one write transaction; unknown keys are skipped.</remarks>
    public Task TouchAsync(IReadOnlyCollection<RunKey> keys, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            Validate(key);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (keys.Count == 0)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                var touch = _statements.Touch.Set(3, SqliteRunColumns.Ms(usedAt));
                BeginWrite();
                try
                {
                    foreach (var key in keys)
                    {
                        SqliteLedgerStatements.BindKey(touch, key).Execute();
                    }

                    Commit();
                }
                catch
                {
                    RollbackQuietly();
                    throw;
                }
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Tags are kept sorted (ordinal) and distinct; removing a tag the run does not have is not an error.</remarks>
    public Task<RunRow?> AnnotateAsync(RunKey key, RunAnnotation annotation, CancellationToken cancellationToken = default)
    {
        Validate(key);
        ArgumentNullException.ThrowIfNull(annotation);
        ValidateTags(annotation.AddTags, nameof(RunAnnotation.AddTags));
        ValidateTags(annotation.RemoveTags, nameof(RunAnnotation.RemoveTags));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                BeginWrite();
                try
                {
                    var existing = Select(key, out var id);
                    if (existing is null)
                    {
                        Commit();
                        return NoRow;
                    }

                    var tags = new SortedSet<string>(existing.Tags, StringComparer.Ordinal);
                    tags.UnionWith(annotation.AddTags ?? []);
                    tags.ExceptWith(annotation.RemoveTags ?? []);
                    var note = annotation.SetNote ? annotation.Note : existing.Note;
                    var tagsJson = _json.Tags(tags);
                    _statements.Annotate.Set(0, note).Set(1, tagsJson).Set(2, id).Execute();
                    Commit();
                    return Task.FromResult<RunRow?>(existing with { Note = note, Tags = [.. tags] });
                }
                catch
                {
                    RollbackQuietly();
                    throw;
                }
            }
            catch (SqliteException e) when (Map(e) is { } mapped)
            {
                throw mapped;
            }
        }
    }

    private static void ValidateTags(IReadOnlyCollection<string>? tags, string name) => LedgerArguments.Tags(tags, name);
}
