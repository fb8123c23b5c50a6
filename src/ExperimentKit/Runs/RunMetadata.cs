using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ExperimentKit;

/// <summary>
/// The metadata recorded with a run (<see cref="RunRow.Metadata"/>): where and with what code it ran.
/// </summary>
public static class RunMetadata
{
    /// <summary>The machine name.</summary>
    public const string HostKey = "host";

    /// <summary>The operating system description.</summary>
    public const string OsKey = "os";

    /// <summary>The process architecture (<c>X64</c>, <c>Arm64</c>, ...).</summary>
    public const string ArchitectureKey = "arch";

    /// <summary>The .NET runtime version (<c>10.0.1</c>).</summary>
    public const string DotnetKey = "dotnet";

    /// <summary>The process id.</summary>
    public const string PidKey = "pid";

    /// <summary>The commit checked out in the git repository holding the current directory.</summary>
    public const string GitCommitKey = "git.commit";

    /// <summary><c>true</c> when tracked files differ from that commit, else <c>false</c>.</summary>
    public const string GitDirtyKey = "git.dirty";

    /// <summary>
    /// Collects <c>host</c>, <c>os</c>, <c>arch</c>, <c>dotnet</c>, <c>pid</c> and, when the current directory
    /// is inside a git repository, <c>git.commit</c> and <c>git.dirty</c>; then adds <paramref name="user"/>'s
    /// key/values.
    /// </summary>
    /// <param name="user">The caller's own key/values. They win over collected keys of the same name (an explicit
    /// value is what the caller means, for example a <c>git.commit</c> passed by a CI job that deploys without <c>.git</c>).</param>
    /// <returns>A new dictionary.</returns>
    /// <remarks>
    /// The commit is read from the repository files (HEAD, loose refs and <c>packed-refs</c>; worktrees and
    /// submodules whose <c>.git</c> is a file are followed); git itself is not needed for it. <c>git.dirty</c>
    /// comes from <c>git status --porcelain --untracked-files=no</c>, run only when <c>git</c> is on the PATH,
    /// with a short timeout: untracked files (run outputs inside the repository, for one) do not make a tree
    /// dirty. Git facts are collected once per repository per process, and everything but the caller's values
    /// once per working directory per process (the store calls this for every run). Nothing here fails a run:
    /// a missing repository, reference or <c>git</c> just leaves the keys out.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> Collect(IReadOnlyDictionary<string, string>? user = null)
        => Collect(user, Environment.CurrentDirectory);

    /// <summary><see cref="Collect(IReadOnlyDictionary{string, string}?)"/> from a given directory (tests).</summary>
    internal static Dictionary<string, string> Collect(IReadOnlyDictionary<string, string>? user, string workingDirectory)
    {
        var collected = Collected.GetOrAdd(workingDirectory, static directory => CollectProcessFacts(directory));
        var result = new Dictionary<string, string>(collected.Length + (user?.Count ?? 0), StringComparer.Ordinal);
        foreach (var (key, value) in collected)
        {
            result[key] = value;
        }

        if (user is not null)
        {
            foreach (var (key, value) in user)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// What <see cref="Collect(IReadOnlyDictionary{string, string}?, string)"/> found per working directory: none
    /// of it changes while the process lives (the machine name and git facts are read once, as the run owner and
    /// <see cref="GitInfo"/> already read them), and looking it up again cost a machine-name call and a walk up
    /// the folders for <c>.git</c> on every run.
    /// </summary>
    private static readonly ConcurrentDictionary<string, KeyValuePair<string, string>[]> Collected = new(StringComparer.Ordinal);

    private static KeyValuePair<string, string>[] CollectProcessFacts(string workingDirectory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HostKey] = Environment.MachineName,
            [OsKey] = RuntimeInformation.OSDescription,
            [ArchitectureKey] = RuntimeInformation.ProcessArchitecture.ToString(),
            [DotnetKey] = Environment.Version.ToString(),
            [PidKey] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };

        var git = GitInfo.ForDirectory(workingDirectory);
        if (git?.Commit is { } commit)
        {
            result[GitCommitKey] = commit;
        }

        if (git?.Dirty is { } dirty)
        {
            result[GitDirtyKey] = dirty ? "true" : "false";
        }

        return [.. result];
    }
}
