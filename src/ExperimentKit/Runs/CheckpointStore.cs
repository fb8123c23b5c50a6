using System.Globalization;

namespace ExperimentKit;

/// <summary>
/// A run's checkpoints in <c>checkpoints/step_{step:D8}.ckpt</c>: each written to a temporary name and then
/// renamed, so a crash never leaves a torn checkpoint under a real name; only the newest K are kept.
/// </summary>
/// <remarks>
/// Steps are read back by parsing the number in the name, so steps above 99,999,999 (which need more than
/// eight digits) still sort correctly. Files that are not <c>step_{digits}.ckpt</c> (including the
/// <c>.ckpt.tmp-*</c> leftovers of a crash) are ignored; leftovers are deleted by the next save.
/// Saves from several tasks of one run are safe; only the run holding the claim writes this folder.
/// </remarks>
public sealed class CheckpointStore
{
    private const string Prefix = "step_";
    private const string Extension = ".ckpt";

    private readonly string _directory;
    private readonly ExperimentStoreOptions _options;
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _maintenance = new(1, 1);

    internal CheckpointStore(string directory, ExperimentStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        _directory = Path.GetFullPath(directory);
        _options = options;
    }

    /// <summary>The folder holding the checkpoints.</summary>
    public string Directory => _directory;

    /// <summary>Saves a checkpoint for a step (replacing one of the same step).</summary>
    /// <param name="step">The step, 0 or more.</param>
    /// <param name="write">Writes the checkpoint into the stream it is given (a temporary file).</param>
    /// <param name="cancellationToken">Stops the save; nothing is left under the real name.</param>
    /// <returns>The saved checkpoint. After it, only the newest <see cref="ExperimentStoreOptions.CheckpointKeepLast"/>
    /// checkpoints by step are kept (0 keeps all) — an older step saved after newer ones may be pruned at once.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be written or renamed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <remarks>When <paramref name="write"/> throws, its temporary file is deleted, the exception propagates and
    /// the previous checkpoints are untouched.</remarks>
    public async Task<Checkpoint> SaveAsync(long step, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();

        System.IO.Directory.CreateDirectory(_directory);
        string finalPath = PathFor(step);
        string tempPath = AtomicFile.TempPathFor(finalPath);
        lock (_inFlight)
        {
            _inFlight.Add(Path.GetFileName(tempPath));
        }

        try
        {
            await AtomicFile.WriteAsync(finalPath, tempPath, write, _options.Durability, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_inFlight)
            {
                _inFlight.Remove(Path.GetFileName(tempPath));
            }
        }

        await _maintenance.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            RemoveLeftovers();
            Prune();
        }
        finally
        {
            _maintenance.Release();
        }

        return new Checkpoint(step, finalPath);
    }

    /// <summary>Saves a checkpoint when <paramref name="step"/> is a multiple of the configured interval.</summary>
    /// <param name="step">The step, 0 or more. Step 0 is a multiple of every interval, so it is saved
    /// (call from step 1 on to skip the initial state).</param>
    /// <param name="write">Writes the checkpoint into the stream it is given.</param>
    /// <param name="cancellationToken">Stops the save.</param>
    /// <returns>The checkpoint, or null when this step is not due (or <see cref="ExperimentStoreOptions.CheckpointEvery"/> is 0 or less).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be written or renamed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<Checkpoint?> MaybeSaveAsync(long step, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentNullException.ThrowIfNull(write);
        int every = _options.CheckpointEvery;
        if (every <= 0 || step % every != 0)
        {
            return null;
        }

        return await SaveAsync(step, write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest checkpoint, or null.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public Task<Checkpoint?> LatestAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var all = List();
        return Task.FromResult(all.Count == 0 ? null : all[^1]);
    }

    /// <summary>The checkpoint at <paramref name="step"/> or, if none, the nearest one below it; null when there is none.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public Task<Checkpoint?> LoadAsync(long step, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        cancellationToken.ThrowIfCancellationRequested();
        Checkpoint? best = null;
        foreach (var checkpoint in List())
        {
            if (checkpoint.Step > step)
            {
                break;
            }

            best = checkpoint;
        }

        return Task.FromResult(best);
    }

    /// <summary>Every checkpoint, oldest first (by step).</summary>
    /// <exception cref="IOException">The folder cannot be listed.</exception>
    public IReadOnlyList<Checkpoint> List()
    {
        if (!System.IO.Directory.Exists(_directory))
        {
            return [];
        }

        var result = new List<Checkpoint>();
        foreach (string path in System.IO.Directory.EnumerateFiles(_directory, Prefix + "*" + Extension))
        {
            if (TryParseStep(Path.GetFileName(path), out long step))
            {
                result.Add(new Checkpoint(step, path));
            }
        }

        result.Sort(static (a, b) => a.Step.CompareTo(b.Step));
        return result;
    }

    /// <summary><c>step_{step:D8}.ckpt</c> in the folder.</summary>
    internal string PathFor(long step)
        => Path.Combine(_directory, Prefix + step.ToString("D8", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Parses <c>step_{digits}.ckpt</c>; anything else (temporary names included) is not a checkpoint.</summary>
    internal static bool TryParseStep(string fileName, out long step)
    {
        step = 0;
        if (!fileName.StartsWith(Prefix, StringComparison.Ordinal) || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = fileName.AsSpan(Prefix.Length, fileName.Length - Prefix.Length - Extension.Length);
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return digits.Length > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out step);
    }

    private void RemoveLeftovers()
    {
        foreach (string path in System.IO.Directory.EnumerateFiles(_directory, "*" + AtomicFile.TempMarker + "*"))
        {
            string name = Path.GetFileName(path);
            bool busy;
            lock (_inFlight)
            {
                busy = _inFlight.Contains(name);
            }

            if (!busy)
            {
                AtomicFile.TryDelete(path);
            }
        }
    }

    private void Prune()
    {
        int keep = _options.CheckpointKeepLast;
        if (keep <= 0)
        {
            return;
        }

        var all = List();
        for (int i = 0; i < all.Count - keep; i++)
        {
            // A checkpoint being read (Windows) cannot be deleted now; the next save tries again.
            AtomicFile.TryDelete(all[i].Path);
        }
    }
}
