using System.Diagnostics;
using System.Security.Cryptography;

namespace ExperimentKit;

/// <summary>Who holds a <see cref="RunStatus.Running"/> claim: a process on a host, and a random token per claim.</summary>
/// <param name="Host">The machine name.</param>
/// <param name="ProcessId">The owner's process id.</param>
/// <param name="ProcessStart">When that process started (guards against a reused process id).</param>
/// <param name="Token">A random token that only this claim knows; every later write must present it.</param>
public sealed record RunOwner(string Host, int ProcessId, DateTimeOffset ProcessStart, string Token)
{
    private static readonly Lazy<(string Host, int Pid, DateTimeOffset Start)> Current = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return (Environment.MachineName, Environment.ProcessId, new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero));
    });

    /// <summary>A new owner for a claim made by the current process.</summary>
    public static RunOwner NewForCurrentProcess()
    {
        var (host, pid, start) = Current.Value;
        return new RunOwner(host, pid, start, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>Whether this owner is a process of this host that no longer exists (so its claim is stale).</summary>
    /// <remarks>Owners on other hosts are never judged here: their leases decide.</remarks>
    public bool IsGoneFromThisHost()
    {
        if (!string.Equals(Host, Current.Value.Host, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            if (process.HasExited)
            {
                return true;
            }

            // A reused pid belongs to another process: compare start times (to the second, as stored).
            var start = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            return Math.Abs((start - ProcessStart).TotalSeconds) > 1;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
