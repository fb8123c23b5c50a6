namespace ExperimentKit;

/// <summary>A change to a run's note and tags.</summary>
public sealed record RunAnnotation
{
    /// <summary>Whether <see cref="Note"/> replaces the current note.</summary>
    public bool SetNote { get; init; }

    /// <summary>The new note (null clears it) when <see cref="SetNote"/>.</summary>
    public string? Note { get; init; }

    /// <summary>Tags to add.</summary>
    public IReadOnlyCollection<string>? AddTags { get; init; }

    /// <summary>Tags to remove.</summary>
    public IReadOnlyCollection<string>? RemoveTags { get; init; }
}
