using System.Diagnostics;

namespace ExperimentKit.Tests.Runs;

/// <summary>Finds and runs command-line tools some tests need (git, python3).</summary>
internal static class ExternalTools
{
    /// <summary>Set in CI: a test whose tool is missing fails instead of being skipped.</summary>
    public static bool RequireAll => Environment.GetEnvironmentVariable("EXPERIMENTKIT_REQUIRE_ALL_TESTS") == "1";

    public static bool IsInstalled(string tool) => Find(tool) is not null;

    public static string? Find(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in OperatingSystem.IsWindows() ? new[] { tool + ".exe", tool } : new[] { tool })
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Runs a tool to completion and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string Run(string tool, string workingDirectory, params string[] arguments)
    {
        string exe = Find(tool) ?? throw new Xunit.Sdk.XunitException($"{tool} is required by this test but is not on the PATH.");
        var start = new ProcessStartInfo(exe)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', arguments)} timed out.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }
}

/// <summary>
/// A fact that needs a command-line tool: skipped when the tool is missing, except when
/// EXPERIMENTKIT_REQUIRE_ALL_TESTS=1, where it runs and fails for want of the tool.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool)
    {
        if (!ExternalTools.IsInstalled(tool) && !ExternalTools.RequireAll)
        {
            Skip = $"{tool} is not installed (set EXPERIMENTKIT_REQUIRE_ALL_TESTS=1 to fail instead).";
        }
    }
}
