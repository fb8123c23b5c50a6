using System.Globalization;
using System.Text.RegularExpressions;

namespace ExperimentKit.Cli;

/// <summary>A run folder found on disk: <c>{experiment}/{uid}-{hash}</c>.</summary>
internal sealed record FoundFolder(string Experiment, long Uid, string Hash, string FullPath, string RelativePath);

/// <summary>Finds run folders under a root (experiment names nest; <c>_components</c> folders are not runs).</summary>
internal static partial class RunFolderScan
{
    public static List<FoundFolder> Find(string root)
    {
        var found = new List<FoundFolder>();
        if (Directory.Exists(root))
        {
            Walk(root, root, found);
        }

        return found.OrderBy(static f => f.Experiment, StringComparer.Ordinal).ThenBy(static f => f.Uid).ToList();
    }

    /// <summary>The total size of the files under a folder.</summary>
    public static long Size(string path)
        => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(static f => new FileInfo(f).Length) : 0;

    private static void Walk(string root, string directory, List<FoundFolder> found)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('_') || name.StartsWith('.'))
            {
                continue;
            }

            var match = FolderName().Match(name);
            if (match.Success && directory != root)
            {
                var experiment = Path.GetRelativePath(root, directory).Replace('\\', '/');
                found.Add(new FoundFolder(experiment, long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, child, Path.GetRelativePath(root, child).Replace('\\', '/')));
            }
            else if (!match.Success)
            {
                Walk(root, child, found);
            }
        }
    }

    [GeneratedRegex("^([0-9]{4,18})-([0-9a-f]{16})$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderName();
}
