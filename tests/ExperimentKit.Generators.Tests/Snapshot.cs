using System.Runtime.CompilerServices;
using System.Text;

namespace ExperimentKit.Generators.Tests;

/// <summary>
/// Compares generated sources with checked-in <c>Snapshots/&lt;Test&gt;.&lt;HintName&gt;.verified.cs</c> files.
/// Set <c>EXPERIMENTKIT_UPDATE_SNAPSHOTS=1</c> to write them into the source tree instead (then review the diff).
/// </summary>
internal static class Snapshot
{
    private const string UpdateVariable = "EXPERIMENTKIT_UPDATE_SNAPSHOTS";
    private const string Folder = "Snapshots";
    private const string Suffix = ".verified.cs";

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>Checks (or, when updating, writes) one snapshot per generated source of the run.</summary>
    public static void Verify(GeneratorRun run, [CallerMemberName] string test = "")
    {
        Assert.NotEmpty(run.Sources);
        var expectedFiles = run.Sources.ToDictionary(
            s => $"{test}.{StripCs(s.HintName)}{Suffix}",
            s => Normalize(s.SourceText.ToString()),
            StringComparer.Ordinal);

        var sourceFolder = SourceFolder();
        if (Updating)
        {
            Assert.True(sourceFolder is not null, "Cannot find ExperimentKit.sln above the test output folder, so cannot update snapshots.");
            Directory.CreateDirectory(sourceFolder!);
            foreach (var stale in StaleFiles(sourceFolder!, test, expectedFiles.Keys))
            {
                File.Delete(stale);
            }

            foreach (var (name, text) in expectedFiles)
            {
                File.WriteAllText(Path.Combine(sourceFolder!, name), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }

            return;
        }

        var problems = new List<string>();
        foreach (var (name, actual) in expectedFiles)
        {
            var path = Path.Combine(AppContext.BaseDirectory, Folder, name);
            if (!File.Exists(path))
            {
                problems.Add($"Snapshot {Folder}/{name} does not exist. Generated:\n{Excerpt(actual, 0)}");
                continue;
            }

            var verified = Normalize(File.ReadAllText(path));
            if (verified != actual)
            {
                problems.Add($"{Folder}/{name} differs from the generated source. {FirstDifference(verified, actual)}");
            }
        }

        if (sourceFolder is not null)
        {
            foreach (var stale in StaleFiles(sourceFolder, test, expectedFiles.Keys))
            {
                problems.Add($"{Folder}/{Path.GetFileName(stale)} is checked in, but the generator no longer produces that file.");
            }
        }

        Assert.True(
            problems.Count == 0,
            string.Join("\n\n", problems)
            + $"\n\nIf the change is intended, rerun with {UpdateVariable}=1 to rewrite the snapshots in the source tree, review the diff and commit it.");
    }

    /// <summary>The snapshot folder in the source tree: found by walking up to the folder holding ExperimentKit.sln.</summary>
    private static string? SourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExperimentKit.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "ExperimentKit.Generators.Tests", Folder);
            }
        }

        return null;
    }

    private static IEnumerable<string> StaleFiles(string folder, string test, IEnumerable<string> current)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var keep = new HashSet<string>(current, StringComparer.Ordinal);
        return Directory.EnumerateFiles(folder, $"{test}.*{Suffix}")
            .Where(path => !keep.Contains(Path.GetFileName(path)))
            .ToList();
    }

    private static string StripCs(string hintName)
        => hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName;

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>The first line that differs, with a little context on each side.</summary>
    private static string FirstDifference(string verified, string actual)
    {
        var expectedLines = verified.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        var text = new StringBuilder();
        text.Append($"First difference at line {line + 1} (verified has {expectedLines.Length} lines, generated {actualLines.Length}).\n");
        text.Append("--- verified\n").Append(Excerpt(verified, line)).Append('\n');
        text.Append("+++ generated\n").Append(Excerpt(actual, line));
        return text.ToString();
    }

    private static string Excerpt(string text, int line)
    {
        var lines = text.Split('\n');
        var from = Math.Max(0, line - 2);
        var to = Math.Min(lines.Length, line + 5);
        return string.Join("\n", Enumerable.Range(from, to - from).Select(i => $"{(i == line ? ">" : " ")}{i + 1,5}: {lines[i]}"));
    }
}
