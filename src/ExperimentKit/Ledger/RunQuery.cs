namespace ExperimentKit;

/// <summary>The order of <see cref="IRunLedger.ListAsync"/> results.</summary>
public enum RunOrder
{
    /// <summary>By creation time (then uid).</summary>
    Created,

    /// <summary>By last-used time (then uid).</summary>
    LastUsed,

    /// <summary>By uid.</summary>
    Uid,
}

/// <summary>Filters for listing runs. Every filter that is set must hold.</summary>
public sealed record RunQuery
{
    /// <summary>Only this experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>Only this version (needs <see cref="Experiment"/>).</summary>
    public int? Version { get; init; }

    /// <summary>Only these states (an empty collection matches nothing).</summary>
    public IReadOnlyCollection<RunStatus>? Statuses { get; init; }

    /// <summary>
    /// Partial parameters: flat path (<c>Model.Layers</c>, hash names) → exact JSON text of the value
    /// (<c>4</c>, <c>"mnist"</c>, <c>true</c>). A run matches when each path holds an equal JSON value: numbers
    /// compare as numbers (<c>1e-3</c> equals <c>0.001</c>), and a value of another JSON kind never matches
    /// (<c>"4"</c> is not <c>4</c>, <c>1</c> is not <c>true</c>); a path the run does not have matches nothing.
    /// </summary>
    /// <exception cref="ArgumentException">(from ListAsync) A value is not JSON text, or a path has an empty segment.</exception>
    public IReadOnlyDictionary<string, string>? Where { get; init; }

    /// <summary>Only runs whose component <see cref="Component"/> has this 8-hex hash (any component when <see cref="Component"/> is null).</summary>
    public string? ComponentHash { get; init; }

    /// <summary>The component that <see cref="ComponentHash"/> is about; alone, only runs that have this component.</summary>
    public string? Component { get; init; }

    /// <summary>Only runs with this tag.</summary>
    public string? Tag { get; init; }

    /// <summary>The order.</summary>
    public RunOrder OrderBy { get; init; } = RunOrder.Created;

    /// <summary>Newest (largest) first.</summary>
    public bool Descending { get; init; }

    /// <summary>At most this many rows (0 gives none).</summary>
    public int? Limit { get; init; }
}
