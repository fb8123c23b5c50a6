using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace ExperimentKit.Hosting.Tests.Processes;

/// <summary>A running ExperimentKit.Hosting.TestApp process (the <c>soak</c> experiment), its output collected line by line.</summary>
internal sealed partial class AppProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<string> _all = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private AppProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line written to standard output so far (all of it once the process has exited).</summary>
    public IReadOnlyList<string> Output => _all.ToArray();

    public string Errors => string.Join(Environment.NewLine, _errors);

    /// <summary>Starts the app in <paramref name="workingDirectory"/> with the same <c>dotnet</c> that runs the tests.</summary>
    public static AppProcess Start(string workingDirectory, params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "ExperimentKit.Hosting.TestApp.dll");
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
        var result = new AppProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                result._lines.Writer.TryComplete();
                return;
            }

            result._all.Enqueue(e.Data);
            result._lines.Writer.TryWrite(e.Data);
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
            throw new TimeoutException($"The app did not exit in {timeout}. {Describe()}");
        }

        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no cancellation, no finally blocks, no flushes. Waits until the process is gone and reaped.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited on its own just before.
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> sends it.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    public string Describe()
        => $"Output: {string.Join(" | ", _all.TakeLast(40))} Errors: {string.Join(" | ", _errors)}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
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
