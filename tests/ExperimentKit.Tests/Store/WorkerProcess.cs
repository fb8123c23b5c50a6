using System.Collections.Concurrent;
using System.Diagnostics;

namespace ExperimentKit.Tests.Store;

/// <summary>A running ExperimentKit.TestWorker process, with its output collected line by line.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _all = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public IEnumerable<string> Output => _all;

    public static WorkerProcess Start(params string[] args)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "ExperimentKit.TestWorker.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(worker);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                result._lines.CompleteAdding();
                return;
            }

            result._all.Enqueue(e.Data);
            result._lines.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                result._errors.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for a line that satisfies <paramref name="match"/>; fails after <paramref name="timeout"/>.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(cts.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"The worker did not print the expected line in {timeout}. Output: {string.Join(" | ", _all)} Errors: {string.Join(" | ", _errors)}");
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
            throw new TimeoutException($"The worker did not exit in {timeout}. Output: {string.Join(" | ", _all)} Errors: {string.Join(" | ", _errors)}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public string Errors => string.Join(Environment.NewLine, _errors);

    /// <summary>Kills the process outright (SIGKILL on Unix): no finally blocks, no flushes.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _lines.Dispose();
    }
}
