namespace ExperimentKit;

/// <summary>
/// Writes an attempt's <c>run.json</c>: the Running snapshot, then the final one. A new run's Running snapshot
/// is written after <see cref="RunningSnapshotDelay"/>, and not at all when the run ends first: the final
/// snapshot then is the folder's only <c>run.json</c>. An attempt in an existing folder (a resume, or a forced
/// re-run) writes its Running snapshot at once, so the folder never shows the previous attempt's end as current.
/// </summary>
/// <remarks>
/// Writing the Running snapshot of every run at its start and replacing it at its end was two of the five files
/// a short run created, and the replacement (an atomic rename over the old file) was the dearest file operation
/// of a run. The final snapshot always follows any Running one: both are written under one lock, and once the
/// final one is written (or the attempt is abandoned) no Running snapshot is written any more.
/// </remarks>
internal sealed class RunStatusWriter : IDisposable
{
    /// <summary>How long a new run runs before its Running snapshot is written.</summary>
    internal static readonly TimeSpan RunningSnapshotDelay = TimeSpan.FromSeconds(1);

    private readonly RunFolder _folder;
    private readonly RunRow _running;
    private readonly CancellationToken _abandoned;
    private readonly Lock _gate = new();
    private Timer? _timer;
    private bool _done;

    private RunStatusWriter(RunFolder folder, RunRow running, CancellationToken abandoned)
    {
        _folder = folder;
        _running = running;
        _abandoned = abandoned;
    }

    /// <summary>Writes the Running snapshot of <paramref name="running"/> now (an existing folder) or schedules it (a new one).</summary>
    /// <param name="folder">The attempt's folder.</param>
    /// <param name="running">The claimed row.</param>
    /// <param name="abandoned">Once cancelled (the claim was lost, or the run cancelled), a scheduled Running snapshot is not written.</param>
    /// <exception cref="IOException">The immediate snapshot cannot be written.</exception>
    public static RunStatusWriter Start(RunFolder folder, RunRow running, CancellationToken abandoned)
    {
        var writer = new RunStatusWriter(folder, running, abandoned);
        if (!folder.IsNew)
        {
            folder.WriteStatus(running);
        }
        else
        {
            writer._timer = new Timer(static state => ((RunStatusWriter)state!).WriteRunning(), writer, RunningSnapshotDelay, Timeout.InfiniteTimeSpan);
        }

        return writer;
    }

    /// <summary>Writes the final snapshot (after a Running one being written, if any); no Running snapshot follows.</summary>
    /// <exception cref="IOException">The snapshot cannot be written.</exception>
    public void WriteFinal(RunRow finished)
    {
        lock (_gate)
        {
            _done = true;
            _timer?.Dispose();
            _folder.WriteStatus(finished);
        }
    }

    /// <summary>Abandons a Running snapshot not written yet.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
            _timer?.Dispose();
        }
    }

    private void WriteRunning()
    {
        lock (_gate)
        {
            if (_done || _abandoned.IsCancellationRequested)
            {
                return;
            }

            _done = true;
            try
            {
                _folder.WriteStatus(_running);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A snapshot for onlookers: the run goes on, and its final snapshot reports a folder that cannot be written.
            }
        }
    }
}
