namespace ExperimentKit;

/// <summary>How much the store pays to survive a power loss.</summary>
public enum Durability
{
    /// <summary>
    /// The default: SQLite WAL with <c>synchronous=NORMAL</c>, files flushed to the OS. A process crash loses
    /// nothing; a power loss may lose the last moments of work but never corrupts the ledger.
    /// </summary>
    Normal,

    /// <summary><c>synchronous=FULL</c> and an fsync of every run file and checkpoint: nothing acknowledged is lost, at a cost.</summary>
    Full,
}

/// <summary>Options of an <see cref="ExperimentStore"/>.</summary>
public sealed class ExperimentStoreOptions
{
    /// <summary>Durability of the ledger and run files.</summary>
    public Durability Durability { get; set; } = Durability.Normal;

    /// <summary>How long a claim lives without a heartbeat; a heartbeat renews it every third of this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many checkpoints a run keeps (the newest); 0 keeps all.</summary>
    public int CheckpointKeepLast { get; set; } = 3;

    /// <summary>The step interval of <c>Checkpoints.MaybeSaveAsync</c>; 0 or less never saves.</summary>
    public int CheckpointEvery { get; set; } = 100;

    /// <summary>The result file suffix of experiments not listed in <see cref="ResultExtensions"/>.</summary>
    public string DefaultResultExtension { get; set; } = ".json";

    /// <summary>Result file suffix per experiment name (<c>".npy"</c>, <c>".h5"</c>, ...).</summary>
    public IDictionary<string, string> ResultExtensions { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long a ledger write waits for another process's lock before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Last-used times are written at most once per run per this interval.</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The result file suffix of an experiment.</summary>
    public string ResultExtensionFor(string experiment)
        => ResultExtensions.TryGetValue(experiment, out var ext) ? ext : DefaultResultExtension;

    /// <summary>Checks the options and says what to fix.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"LeaseDuration is {LeaseDuration}; it must be at least 1 second (default 30 seconds).", nameof(LeaseDuration));
        }

        if (CheckpointKeepLast < 0)
        {
            throw new ArgumentException($"CheckpointKeepLast is {CheckpointKeepLast}; use 0 to keep every checkpoint or a positive count.", nameof(CheckpointKeepLast));
        }

        foreach (var (experiment, ext) in ResultExtensions.Append(new KeyValuePair<string, string>("(default)", DefaultResultExtension)))
        {
            if (ext.Length > 0 && (ext[0] != '.' || ext.IndexOfAny(['/', '\\']) >= 0))
            {
                throw new ArgumentException($"The result extension '{ext}' of {experiment} must be empty or start with '.' and contain no path separator (for example \".npy\").", nameof(ResultExtensions));
            }
        }
    }
}
