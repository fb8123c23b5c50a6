using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ExperimentKit.Templates.Tests;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record CommandResult(string Command, string WorkingDirectory, int ExitCode, string Output)
{
    // MSBuild's summary line "0 Warning(s)" is not a warning.
    private static readonly Regex WarningLine = new(@"\bwarning\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex WarningSummary = new(@"^\s*\d+ Warning\(s\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public IReadOnlyList<string> WarningLines => Output.Split('\n')
        .Where(static l => WarningLine.IsMatch(l) && !WarningSummary.IsMatch(l))
        .Select(static l => l.TrimEnd('\r'))
        .ToArray();

    public string Describe(string why) =>
        $"{why}\n$ {Command}  (in {WorkingDirectory}, exit code {ExitCode})\n{Tail(Output, 24_000)}";

    private static string Tail(string text, int max) => text.Length <= max ? text : "...\n" + text[^max..];
}

/// <summary>
/// Runs the dotnet CLI as a child process with a clean environment: nothing of the test host's MSBuild or
/// VSTest variables leaks in, build servers and node reuse are off (so no process outlives the command and
/// holds its output open), and NuGet uses the packages folder of this test run
/// (other NuGet settings, such as the certificate revocation mode, are kept).
/// </summary>
internal sealed class DotnetProcess(string nugetPackages)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public Task<CommandResult> RunAsync(string workingDirectory, params string[] arguments)
        => RunAsync(workingDirectory, environment: null, arguments);

    /// <summary>Runs dotnet with <paramref name="environment"/> added to the clean environment (values not shown in the command line).</summary>
    public async Task<CommandResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToArray())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
                || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["NUGET_PACKAGES"] = nugetPackages;
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        // Plain, line-by-line output (no terminal logger) so warnings can be found in it.
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["TERM"] = "dumb";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output)
            {
                output.Append($"[killed after {Timeout}]\n");
            }
        }

        lock (output)
        {
            return new CommandResult("dotnet " + string.Join(' ', arguments), workingDirectory, process.ExitCode, output.ToString());
        }
    }
}
