using System.Collections.Concurrent;
using System.Diagnostics;

namespace ExperimentKit;

/// <summary>
/// The commit and dirty flag of the git repository holding a directory, found without running git where
/// possible, cached per repository for the life of the process.
/// </summary>
internal sealed record GitInfo(string WorkTree, string? Commit, bool? Dirty)
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, Lazy<GitInfo>> Cache = new(StringComparer.Ordinal);

    /// <summary>The repository holding <paramref name="directory"/>, or null (no repository, or unreadable).</summary>
    internal static GitInfo? ForDirectory(string directory)
    {
        try
        {
            string? workTree = FindWorkTree(Path.GetFullPath(directory), out string? gitDir);
            if (workTree is null || gitDir is null)
            {
                return null;
            }

            return Cache.GetOrAdd(workTree, _ => new Lazy<GitInfo>(() => Read(workTree, gitDir))).Value;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static GitInfo Read(string workTree, string gitDir)
    {
        string? commit = null;
        try
        {
            commit = ResolveHead(gitDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return new GitInfo(workTree, commit, ReadDirty(workTree));
    }

    /// <summary>Walks up to the first folder holding <c>.git</c> (a folder, or a file <c>gitdir: path</c>).</summary>
    private static string? FindWorkTree(string start, out string? gitDir)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                gitDir = dotGit;
                return dir.FullName;
            }

            if (File.Exists(dotGit))
            {
                string text = File.ReadAllText(dotGit).Trim();
                const string prefix = "gitdir:";
                if (!text.StartsWith(prefix, StringComparison.Ordinal))
                {
                    break;
                }

                string target = text[prefix.Length..].Trim();
                gitDir = Path.GetFullPath(Path.Combine(dir.FullName, target));
                return Directory.Exists(gitDir) ? dir.FullName : null;
            }
        }

        gitDir = null;
        return null;
    }

    /// <summary>The commit HEAD points at, following symbolic refs; null for an unborn branch.</summary>
    private static string? ResolveHead(string gitDir)
    {
        // Worktrees keep HEAD in their own folder and share refs through "commondir".
        string commonDir = gitDir;
        string commonFile = Path.Combine(gitDir, "commondir");
        if (File.Exists(commonFile))
        {
            commonDir = Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(commonFile).Trim()));
        }

        string? content = ReadFirstLine(Path.Combine(gitDir, "HEAD"));
        for (int depth = 0; depth < 10 && content is not null; depth++)
        {
            if (!content.StartsWith("ref:", StringComparison.Ordinal))
            {
                return IsObjectId(content) ? content.ToLowerInvariant() : null;
            }

            string name = content[4..].Trim();
            if (!name.StartsWith("refs/", StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
            {
                return null;
            }

            content = ReadFirstLine(Path.Combine(gitDir, name))
                      ?? ReadFirstLine(Path.Combine(commonDir, name))
                      ?? FindPackedRef(commonDir, name);
        }

        return null;
    }

    private static string? FindPackedRef(string commonDir, string name)
    {
        string path = Path.Combine(commonDir, "packed-refs");
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (string line in File.ReadLines(path))
        {
            // "<id> <ref>"; comments start with '#', peeled tags with '^'.
            if (line.Length == 0 || line[0] is '#' or '^')
            {
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.AsSpan(space + 1).SequenceEqual(name))
            {
                return line[..space];
            }
        }

        return null;
    }

    private static string? ReadFirstLine(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(path);
        return reader.ReadLine()?.Trim();
    }

    private static bool IsObjectId(string text)
        => text.Length is 40 or 64 && text.All(char.IsAsciiHexDigit);

    /// <summary>Runs <c>git status</c> if git is on the PATH; null when it is not, fails or is too slow.</summary>
    private static bool? ReadDirty(string workTree)
    {
        string? git = FindOnPath(OperatingSystem.IsWindows() ? "git.exe" : "git");
        if (git is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(git)
        {
            WorkingDirectory = workTree,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add("status");
        start.ArgumentList.Add("--porcelain");
        start.ArgumentList.Add("--untracked-files=no");
        // Read-only: never take index.lock behind the user's back.
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(StatusTimeout))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                return null;
            }

            process.WaitForExit();
            if (process.ExitCode != 0 || !output.Wait(StatusTimeout))
            {
                return null;
            }

            _ = error.Wait(TimeSpan.FromMilliseconds(100));
            return output.Result.Trim().Length > 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FindOnPath(string fileName)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                string candidate = Path.Combine(directory.Trim('"'), fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            catch (ArgumentException)
            {
            }
        }

        return null;
    }
}
