namespace ExperimentKit.Hosting;

/// <summary>What to do with a completed run that was made by different runner code than today's.</summary>
public enum CodeChangePolicy
{
    /// <summary>Skip it, and log a warning naming the runs (the default).</summary>
    Warn,

    /// <summary>Run it again (a new attempt of the same run).</summary>
    Rerun,

    /// <summary>Skip it silently.</summary>
    Ignore,
}

/// <summary>The <c>ExperimentKit</c> configuration section: where runs live and how the sweep worker runs them.</summary>
public sealed class ExperimentKitOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ExperimentKit";

    /// <summary>The root folder: <c>ledger.db</c> and one folder per run. Default <c>results</c>.</summary>
    /// <remarks>With <see cref="LedgerBackend.Postgres"/> the ledger is in the database and every worker must see the same root (a shared file system).</remarks>
    public string Root { get; set; } = "results";

    /// <summary>Where the run ledger lives. Default <see cref="LedgerBackend.Sqlite"/> (<c>{Root}/ledger.db</c>).</summary>
    public LedgerBackend Backend { get; set; } = LedgerBackend.Sqlite;

    /// <summary>How many runs at once. Default: the processor count.</summary>
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>How many times this process tries a failing run before counting it failed (it is tried again on the next start). Default 1.</summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>How long a claim lives without a heartbeat. Default 30 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Ledger and run-file durability. Default <see cref="Durability.Normal"/>.</summary>
    public Durability Durability { get; set; } = Durability.Normal;

    /// <summary>What to do with completed runs made by other runner code. Default <see cref="CodeChangePolicy.Warn"/>.</summary>
    public CodeChangePolicy OnCodeChange { get; set; } = CodeChangePolicy.Warn;

    /// <summary>Stop the host when every sweep is done (default). False keeps a service-mode worker running.</summary>
    public bool StopWhenDone { get; set; } = true;

    /// <summary>How often a service-mode worker (<see cref="StopWhenDone"/> false) looks for submitted sweeps. Default 1 second.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many checkpoints a run keeps; 0 keeps all. Default 3.</summary>
    public int CheckpointKeepLast { get; set; } = 3;

    /// <summary>The step interval of <c>Checkpoints.MaybeSaveAsync</c>. Default 100.</summary>
    public int CheckpointEvery { get; set; } = 100;

    /// <summary>How often progress is logged when output is redirected. Default 5 seconds.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal ExperimentStoreOptions ToStoreOptions() => new()
    {
        Durability = Durability,
        LeaseDuration = LeaseDuration,
        CheckpointKeepLast = CheckpointKeepLast,
        CheckpointEvery = CheckpointEvery,
    };
}
