using System.Collections.Concurrent;
using System.Diagnostics;

namespace ExperimentKit.Postgres.Tests.Processes;

/// <summary>A running ExperimentKit.Postgres.TestApp process (a sweep worker on the PostgreSQL ledger), its output collected.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>Every line written to standard output so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Everything written to standard output and standard error so far.</summary>
    public string AllText => string.Join('\n', _output) + "\n" + string.Join('\n', _errors);

    /// <summary>Starts the app in <paramref name="workingDirectory"/> with the same <c>dotnet</c> that runs the tests.</summary>
    public static WorkerProcess Start(string workingDirectory, IEnumerable<string> args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "ExperimentKit.Postgres.TestApp.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(app);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker._output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker._errors.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits until some output line satisfies <paramref name="match"/>; false when the process exits or time runs out first.</summary>
    public async Task<bool> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_output.Any(match))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return _output.Any(match);
            }

            await Task.Delay(20);
        }

        return false;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The worker did not exit in {timeout}. {Describe()}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no cancellation, no finally blocks, no lease released. Waits until the process is gone.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.WaitForExit();
    }

    public string Describe() => $"Output: {string.Join(" | ", _output.TakeLast(30))} Errors: {string.Join(" | ", _errors.TakeLast(20))}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
