namespace ExperimentKit;

/// <summary>One field that differs between two parameter sets.</summary>
/// <param name="Path">The flat path (<c>Model.Layers</c>).</param>
/// <param name="Left">The first set's value as JSON text, or null when the first set has no such field.</param>
/// <param name="Right">The second set's value as JSON text, or null when the second set has no such field.</param>
/// <param name="IsHashed">Whether the field takes part in the hash (a difference in a [NotHashed] field never causes a miss).</param>
public sealed record FieldDifference(string Path, string? Left, string? Right, bool IsHashed);

/// <summary>What differs between two parameter sets: components and fields.</summary>
/// <param name="ChangedComponents">The components whose hashes differ, sorted.</param>
/// <param name="Fields">The fields whose values differ, in flat-path order.</param>
public sealed record ParameterDiff(IReadOnlyList<string> ChangedComponents, IReadOnlyList<FieldDifference> Fields)
{
    /// <summary>Whether the two sets have the same hash inputs.</summary>
    public bool SameHash => ChangedComponents.Count == 0 && Fields.All(static f => !f.IsHashed);
}

/// <summary>A recorded run close to a parameter set that missed the cache, and what differs.</summary>
/// <param name="Run">The recorded run.</param>
/// <param name="Differences">Its hashed fields that differ from the requested set.</param>
/// <param name="VersionDiffers">Whether it was recorded under another experiment version.</param>
public sealed record NearRun(RunRow Run, IReadOnlyList<FieldDifference> Differences, bool VersionDiffers);

/// <summary>Why a parameter set is not (yet) a completed run.</summary>
/// <param name="Key">The key that was looked up.</param>
/// <param name="Recorded">The run with exactly this key, if any (it may be Failed, Running, ...).</param>
/// <param name="Nearest">The closest recorded runs of the experiment, fewest differing fields first.</param>
public sealed record MissExplanation(RunKey Key, RunRow? Recorded, IReadOnlyList<NearRun> Nearest)
{
    /// <summary>A sentence for people: what was found and why it does not count.</summary>
    public string Summary => Recorded switch
    {
        { Status: RunStatus.Completed } => $"{Key} is completed (run #{Recorded.Uid:D4}): not a miss.",
        { } r => $"{Key} is recorded as run #{r.Uid:D4} but is {r.Status}{(r.Error is null ? string.Empty : ": " + FirstLine(r.Error))}; only Completed runs are skipped.",
        null when Nearest.Count == 0 => $"{Key}: no run of experiment '{Key.Experiment}' is recorded.",
        _ => $"{Key} has never been run. Nearest: run #{Nearest[0].Run.Uid:D4}"
            + (Nearest[0].VersionDiffers ? $" (version {Nearest[0].Run.Key.Version})" : string.Empty)
            + (Nearest[0].Differences.Count == 0 ? " differs only in version." : " differs in " + string.Join(", ", Nearest[0].Differences.Select(static d => $"{d.Path} ({d.Right} there, {d.Left} here)")) + "."),
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
