namespace ExperimentKit;

/// <summary>One saved checkpoint.</summary>
/// <param name="Step">The step it was saved at.</param>
/// <param name="Path">Its file.</param>
public sealed record Checkpoint(long Step, string Path)
{
    /// <summary>Opens the checkpoint for reading.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint was pruned or deleted since it was listed.</exception>
    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
}
