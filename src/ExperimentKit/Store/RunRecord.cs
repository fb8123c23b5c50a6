namespace ExperimentKit;

/// <summary>A run with its typed parameters and every field the ledger holds.</summary>
/// <typeparam name="T">The parameter type.</typeparam>
public sealed class RunRecord<T>
    where T : IExperimentParameters<T>
{
    private T? _params;
    private bool _hasParams;

    internal RunRecord(T parameters, RunRow row, string root)
        : this(row, root)
    {
        _params = parameters;
        _hasParams = true;
    }

    internal RunRecord(RunRow row, string root)
    {
        Row = row;
        RunDirectory = Path.GetFullPath(Path.Combine(root, row.RelativeDirectory));
        ResultPath = row.ResultFile is null ? null : Path.GetFullPath(Path.Combine(root, row.ResultFile));
    }

    /// <summary>The parameters the run was recorded with, rebuilt exactly from the ledger (a hit may differ from the
    /// caller's parameters in [NotHashed] members).</summary>
    public T Params
    {
        get
        {
            if (!_hasParams)
            {
                _params = ParameterJson.Deserialize<T>(Row.ParamsJson);
                _hasParams = true;
            }

            return _params!;
        }
    }

    /// <summary>The ledger row: every recorded field.</summary>
    public RunRow Row { get; }

    /// <summary>Experiment, version and params hash.</summary>
    public RunKey Key => Row.Key;

    /// <summary>The 16-hex params hash.</summary>
    public string Hash => Row.Key.Hash;

    /// <summary>The per-experiment sequence number.</summary>
    public long Uid => Row.Uid;

    /// <summary>The state.</summary>
    public RunStatus Status => Row.Status;

    /// <summary>How many attempts were made.</summary>
    public int Attempt => Row.Attempt;

    /// <summary>Summary metrics.</summary>
    public IReadOnlyDictionary<string, double> Summary => Row.Summary;

    /// <summary>Named artifacts (name → path relative to the root).</summary>
    public IReadOnlyDictionary<string, string> Files => Row.Files;

    /// <summary>Host, git commit and the caller's key/values.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Row.Metadata;

    /// <summary>The run's folder.</summary>
    public string RunDirectory { get; }

    /// <summary>The main result file, if the run has one.</summary>
    public string? ResultPath { get; }

    /// <summary>The run's <c>metrics.jsonl</c>.</summary>
    public string MetricsPath => Path.Combine(RunDirectory, "metrics.jsonl");

    /// <summary>
    /// True when the run is completed but its result file is gone (deleted or moved): the ledger says done,
    /// the disk disagrees. Re-run it with <see cref="ExperimentStore.RunAsync{T}(T, ExperimentRunner{T}, IReadOnlyDictionary{string, string}?, CancellationToken)"/>.
    /// </summary>
    public bool IsMissingResult => Status == RunStatus.Completed && ResultPath is not null && !File.Exists(ResultPath);

    /// <inheritdoc />
    public override string ToString() => $"{Key.Experiment} #{Uid:D4} {Hash} {Status} (attempt {Attempt})";
}
