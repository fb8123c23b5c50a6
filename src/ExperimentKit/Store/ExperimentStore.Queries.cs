namespace ExperimentKit;

public sealed partial class ExperimentStore
{
    /// <summary>Lists runs of <typeparamref name="T"/>'s experiment and version.</summary>
    /// <param name="where">Partial parameters: flat path (hash or C# names, <c>Model.Layers</c>) → value. A run matches when every path holds an equal value.</param>
    /// <param name="status">Only runs in this state (all when null).</param>
    /// <param name="orderBy">Order by creation or last use.</param>
    /// <param name="descending">Newest first.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A <paramref name="where"/> path names no member; the message suggests the nearest.</exception>
    public async Task<IReadOnlyList<RunRecord<T>>> ListAsync<T>(
        IReadOnlyDictionary<string, object?>? where = null,
        RunStatus? status = null,
        RunOrder orderBy = RunOrder.Created,
        bool descending = false,
        int? limit = null,
        CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        var descriptor = T.Descriptor;
        var query = new RunQuery
        {
            Experiment = descriptor.ExperimentName,
            Version = descriptor.Version,
            Statuses = status is { } s ? [s] : null,
            Where = where is null ? null : FlatPaths.ToQuery(descriptor, where),
            OrderBy = orderBy,
            Descending = descending,
            Limit = limit,
        };
        return ToRecords<T>(await Ledger.ListAsync(query, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The most recently used completed run of <typeparamref name="T"/>'s experiment and version, or null.</summary>
    public async Task<RunRecord<T>?> LatestAsync<T>(CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        var runs = await ListAsync<T>(status: RunStatus.Completed, orderBy: RunOrder.LastUsed, descending: true, limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>The runs whose component <paramref name="component"/> has the 8-hex hash <paramref name="hash"/> ("same model, any data").</summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no such component.</exception>
    public async Task<IReadOnlyList<RunRecord<T>>> FindByComponentAsync<T>(string component, string hash, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        var descriptor = T.Descriptor;
        if (!descriptor.Components.Contains(component))
        {
            throw new ArgumentException($"Experiment '{descriptor.ExperimentName}' has no component '{component}'; its components are: {string.Join(", ", descriptor.Components)}.", nameof(component));
        }

        var rows = await Ledger.ListAsync(
            new RunQuery { Experiment = descriptor.ExperimentName, Version = descriptor.Version, Component = component, ComponentHash = hash },
            cancellationToken).ConfigureAwait(false);
        return ToRecords<T>(rows);
    }

    /// <summary>Which components and which fields differ between two parameter sets.</summary>
    public static ParameterDiff Diff<T>(T left, T right)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var a = left.ComputeComponentHashes();
        var b = right.ComputeComponentHashes();
        var components = a.Keys.Union(b.Keys)
            .Where(c => !a.TryGetValue(c, out var x) || !b.TryGetValue(c, out var y) || x != y)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new ParameterDiff(components, FlatPaths.Differences(T.Descriptor, left.ToFlat(), right.ToFlat()));
    }

    /// <summary>
    /// Why <paramref name="parameters"/> did not hit the cache: the run with its exact key if one is recorded
    /// (failed, running, ...), and otherwise the nearest recorded runs of the experiment (any version) with
    /// the hashed fields that differ.
    /// </summary>
    public async Task<MissExplanation> ExplainMissAsync<T>(T parameters, int nearest = 3, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(nearest);
        var descriptor = T.Descriptor;
        var key = RunKey.For(parameters);
        var recorded = await Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false);
        var rows = await Ledger.ListAsync(new RunQuery { Experiment = descriptor.ExperimentName, OrderBy = RunOrder.Created, Descending = true, Limit = 100_000 }, cancellationToken).ConfigureAwait(false);
        var mine = parameters.ToFlat();
        var near = new List<NearRun>();
        foreach (var row in rows)
        {
            if (row.Key == key)
            {
                continue;
            }

            var theirs = FlatPaths.FromParamsJson(descriptor, row.ParamsJson);
            var differences = FlatPaths.Differences(descriptor, mine, theirs).Where(static d => d.IsHashed).ToList();
            near.Add(new NearRun(row, differences, row.Key.Version != descriptor.Version));
        }

        var ordered = near
            .OrderBy(static n => n.Differences.Count + (n.VersionDiffers ? 1 : 0))
            .ThenByDescending(static n => n.Run.Status == RunStatus.Completed)
            .ThenByDescending(static n => n.Run.Created)
            .Take(nearest)
            .ToList();
        return new MissExplanation(key, recorded, ordered);
    }

    /// <summary>A run's metric series from its <c>metrics.jsonl</c> (a torn last line is ignored).</summary>
    public Task<IReadOnlyList<MetricPoint>> ReadMetricsAsync<T>(RunRecord<T> record, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(record);
        return File.Exists(record.MetricsPath)
            ? MetricsLog.ReadAsync(record.MetricsPath, cancellationToken)
            : Task.FromResult<IReadOnlyList<MetricPoint>>([]);
    }

    /// <summary>Sets (or, with null, clears) a run's note.</summary>
    /// <returns>The updated run, or null when it is not recorded.</returns>
    public async Task<RunRecord<T>?> SetNoteAsync<T>(T parameters, string? note, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var row = await Ledger.AnnotateAsync(RunKey.For(parameters), new RunAnnotation { SetNote = true, Note = note }, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new RunRecord<T>(row, Root);
    }

    /// <summary>Adds tags to a run.</summary>
    /// <returns>The updated run, or null when it is not recorded.</returns>
    /// <exception cref="ArgumentException">A tag is empty or has white space at its ends.</exception>
    public async Task<RunRecord<T>?> TagAsync<T>(T parameters, params string[] tags)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Trim() != tag)
            {
                throw new ArgumentException($"The tag '{tag}' is empty or has white space at its ends; use a word such as 'baseline'.", nameof(tags));
            }
        }

        var row = await Ledger.AnnotateAsync(RunKey.For(parameters), new RunAnnotation { AddTags = tags }).ConfigureAwait(false);
        return row is null ? null : new RunRecord<T>(row, Root);
    }

    /// <summary>
    /// Queues a sweep of <typeparamref name="T"/> for a service-mode worker: <c>Member=v1,v2</c> assignments in
    /// the command-line syntax, checked now against the parameter type.
    /// </summary>
    /// <exception cref="SweepArgumentException">An assignment names no member or has a value of the wrong type.</exception>
    public Task<SweepSubmission> SubmitAsync<T>(IEnumerable<string> assignments, CancellationToken cancellationToken = default)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var list = assignments.ToList();
        SweepOverrides.Parse(T.Descriptor, list);
        return Ledger.SubmitAsync(T.Descriptor.ExperimentName!, list, cancellationToken);
    }

    private List<RunRecord<T>> ToRecords<T>(IReadOnlyList<RunRow> rows)
        where T : IExperimentParameters<T>
    {
        var records = new List<RunRecord<T>>(rows.Count);
        foreach (var row in rows)
        {
            records.Add(new RunRecord<T>(row, Root));
        }

        return records;
    }
}
