using System.Globalization;

namespace ExperimentKit;

/// <summary>Where a run's files live under the root.</summary>
public static class RunPaths
{
    /// <summary><c>{experiment}/{uid:D4}-{hash}</c>, with <c>/</c> separators (experiment names nest with <c>/</c>).</summary>
    public static string RelativeDirectory(string experiment, long uid, string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        ArgumentException.ThrowIfNullOrEmpty(hash);
        return $"{experiment}/{uid.ToString("D4", CultureInfo.InvariantCulture)}-{hash}";
    }

    /// <summary>The absolute folder of a run.</summary>
    public static string Directory(string root, RunRow row)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(row);
        return Path.GetFullPath(Path.Combine(root, row.RelativeDirectory));
    }
}
