using System.Diagnostics;
using ExperimentKit.TestSupport;

namespace ExperimentKit.Postgres.Tests.Processes;

/// <summary>A running ExperimentKit.Postgres.TestApp process (a sweep worker on the PostgreSQL ledger), its output collected.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly ChildProcess _child;

    private WorkerProcess(ChildProcess child) => _child = child;

    /// <summary>Every line written to standard output so far.</summary>
    public IReadOnlyList<string> Output => _child.Output;

    /// <summary>Everything written to standard output and standard error so far.</summary>
    public string AllText => _child.AllText;

    /// <summary>Starts the app in <paramref name="workingDirectory"/> with the same <c>dotnet</c> that runs the tests.</summary>
    public static WorkerProcess Start(string workingDirectory, IEnumerable<string> args)
        => new(ChildProcess.Start("worker", Path.Combine(AppContext.BaseDirectory, "ExperimentKit.Postgres.TestApp.dll"), args, workingDirectory));

    /// <summary>Waits until some output line satisfies <paramref name="match"/>; false when the process exits or time runs out first.</summary>
    public async Task<bool> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_child.Output.Any(match))
            {
                return true;
            }

            if (_child.HasExited)
            {
                return _child.Output.Any(match);
            }

            await Task.Delay(20);
        }

        return false;
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _child.WaitForExitAsync(timeout);

    /// <summary>SIGKILL: no cancellation, no finally blocks, no lease released. Waits until the process is gone.</summary>
    public void Kill() => _child.Kill();

    public string Describe() => _child.Describe(outputLines: 30, errorLines: 20);

    public void Dispose() => _child.Dispose();
}
