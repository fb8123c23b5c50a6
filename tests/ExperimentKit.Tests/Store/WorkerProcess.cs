using System.Collections.Concurrent;
using ExperimentKit.TestSupport;

namespace ExperimentKit.Tests.Store;

/// <summary>A running ExperimentKit.TestWorker process, with its output collected line by line.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly BlockingCollection<string> _lines = new();
    private readonly ChildProcess _child;

    private WorkerProcess(string[] args)
        => _child = ChildProcess.Start(
            "worker",
            Path.Combine(AppContext.BaseDirectory, "ExperimentKit.TestWorker.dll"),
            args,
            onOutputLine: line =>
            {
                if (line is null)
                {
                    _lines.CompleteAdding();
                }
                else
                {
                    _lines.Add(line);
                }
            });

    public int Id => _child.Id;

    public IEnumerable<string> Output => _child.Output;

    public string Errors => string.Join(Environment.NewLine, _child.Errors);

    public static WorkerProcess Start(params string[] args) => new(args);

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

        throw new TimeoutException($"The worker did not print the expected line in {timeout}. {_child.Describe(int.MaxValue, int.MaxValue)}");
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _child.WaitForExitAsync(timeout);

    /// <summary>Kills the process outright (SIGKILL on Unix): no finally blocks, no flushes.</summary>
    public void Kill() => _child.Kill(entireProcessTree: true);

    public void Dispose()
    {
        _child.Dispose();
        _lines.Dispose();
    }
}
