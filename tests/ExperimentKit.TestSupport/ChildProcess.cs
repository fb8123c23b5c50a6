using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ExperimentKit.TestSupport;

/// <summary>
/// A running <c>dotnet &lt;app&gt;.dll</c> child process, its standard output and standard error collected line by
/// line. It runs on the same <c>dotnet</c> as the tests (<c>DOTNET_HOST_PATH</c> when set), and dispose kills it
/// if it is still running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> sends it.</summary>
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly string _name;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line written to standard output so far (all of it once the process has exited).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Every line written to standard error so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Everything written to standard output and standard error so far.</summary>
    public string AllText => string.Join('\n', _output) + "\n" + string.Join('\n', _errors);

    /// <summary>
    /// Starts <c>dotnet <paramref name="appDll"/> <paramref name="args"/></c>. <paramref name="onOutputLine"/>, when
    /// given, sees each standard output line right after it is collected, and null once standard output has ended.
    /// </summary>
    /// <param name="name">What the process is called in timeout messages ("app", "worker").</param>
    public static ChildProcess Start(
        string name,
        string appDll,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<string?>? onOutputLine = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        info.ArgumentList.Add(appDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                result._output.Enqueue(e.Data);
            }

            onOutputLine?.Invoke(e.Data);
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
    /// Waits for the process to exit and all its output to be read, and returns its exit code. After
    /// <paramref name="timeout"/> it kills the process tree and throws <see cref="TimeoutException"/>.
    /// </summary>
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
            throw new TimeoutException($"The {_name} did not exit in {timeout}. {Describe()}");
        }

        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends the Unix <paramref name="signal"/> (for example <see cref="SigTerm"/>) to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// SIGKILL (on Unix): no cancellation, no finally blocks, no flushes. Waits until the process is gone and
    /// reaped. A process that has already exited on its own is not an error.
    /// </summary>
    public void Kill(bool entireProcessTree = false)
    {
        try
        {
            _process.Kill(entireProcessTree);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own just before.
        }

        _process.WaitForExit();
    }

    /// <summary>The last lines of output and errors, for assertion and timeout messages.</summary>
    public string Describe(int outputLines = 40, int errorLines = 20)
        => $"Output: {string.Join(" | ", _output.TakeLast(outputLines))} Errors: {string.Join(" | ", _errors.TakeLast(errorLines))}";

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
