using System.Threading.Channels;
using ExperimentKit.TestSupport;

namespace ExperimentKit.Hosting.Tests.Processes;

/// <summary>A running ExperimentKit.Hosting.TestApp process (the <c>soak</c> experiment), its output collected line by line.</summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ChildProcess _child;

    private AppProcess(string workingDirectory, string[] args)
        => _child = ChildProcess.Start(
            "app",
            Path.Combine(AppContext.BaseDirectory, "ExperimentKit.Hosting.TestApp.dll"),
            args,
            workingDirectory,
            onOutputLine: line =>
            {
                if (line is null)
                {
                    _lines.Writer.TryComplete();
                }
                else
                {
                    _lines.Writer.TryWrite(line);
                }
            });

    public int Id => _child.Id;

    public bool HasExited => _child.HasExited;

    /// <summary>Every line written to standard output so far (all of it once the process has exited).</summary>
    public IReadOnlyList<string> Output => _child.Output;

    public string Errors => string.Join(Environment.NewLine, _child.Errors);

    /// <summary>Starts the app in <paramref name="workingDirectory"/> with the same <c>dotnet</c> that runs the tests.</summary>
    public static AppProcess Start(string workingDirectory, params string[] args) => new(workingDirectory, args);

    /// <summary>
    /// Consumes output lines until one satisfies <paramref name="match"/> and returns it; null when the process
    /// ended its output first. Fails after <paramref name="timeout"/>. No thread blocks while it waits (on two
    /// cores a blocked pool thread can delay the output reader by the pool's thread-injection pauses).
    /// </summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
        => await TryWaitForLineAsync(match, timeout) is (true, var line)
            ? line
            : throw new TimeoutException($"The app did not print the expected line in {timeout}. {Describe()}");

    /// <summary>As <see cref="WaitForLineAsync"/>, but gives (false, null) after <paramref name="timeout"/> instead of failing.</summary>
    public async Task<(bool InTime, string? Line)> TryWaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
            {
                if (match(line))
                {
                    return (true, line);
                }
            }

            return (true, null);
        }
        catch (OperationCanceledException)
        {
            return (false, null);
        }
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _child.WaitForExitAsync(timeout);

    /// <summary>SIGKILL: no cancellation, no finally blocks, no flushes. Waits until the process is gone and reaped.</summary>
    public void Kill() => _child.Kill();

    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> sends it.</summary>
    public void Terminate() => _child.Signal(ChildProcess.SigTerm);

    public string Describe() => _child.Describe(outputLines: 40, errorLines: int.MaxValue);

    public void Dispose() => _child.Dispose();
}

/// <summary>A fact that needs Unix signals; skipped elsewhere.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs Unix signals (SIGTERM, SIGKILL).";
        }
    }
}

/// <summary>Process tests run one at a time: each keeps both cores busy, and the kill soak times its kills.</summary>
[CollectionDefinition(nameof(ProcessTests), DisableParallelization = true)]
public sealed class ProcessTests
{
}
