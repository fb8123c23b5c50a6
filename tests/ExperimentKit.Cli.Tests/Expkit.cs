namespace ExperimentKit.Cli.Tests;

/// <summary>What a command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs expkit in-process through its System.CommandLine entry point, with captured output.</summary>
public static class Expkit
{
    public static Task<CliResult> RunAsync(params string[] args) => RunInAsync(Path.GetTempPath(), null, args);

    /// <summary>
    /// Runs expkit in-process from <paramref name="currentDirectory"/> (where it looks for appsettings.json) with only
    /// the environment variables given (none by default, so the machine's ExperimentKit__* settings never leak in).
    /// </summary>
    public static async Task<CliResult> RunInAsync(string currentDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            OutIsTerminal = false,
            Width = null,
            CurrentDirectory = currentDirectory,
            GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
        };
        var code = await ExpkitCli.RunAsync(args, console);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built tool as a real process (dotnet ExperimentKit.Cli.dll).</summary>
    public static async Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExperimentKit.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
