using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace ExperimentKit.Postgres;

/// <summary>Which errors are worth retrying, and how long to wait before the next try.</summary>
internal static class PostgresRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A dropped connection, a server that is starting or shutting down (<c>57P01</c>-<c>57P03</c>, what
    /// <c>pg_terminate_backend</c> and a restart send), a serialization failure or a deadlock: the statement did
    /// not happen, or (a reply lost on the way back) it did and a retry must be idempotent.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        PostgresException p => p.IsTransient || p.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01" || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException => true,
        _ => false,
    };

    /// <summary>The delay before try <paramref name="attempt"/> + 1: doubling from 50 ms to 5 s, with full jitter in its upper half.</summary>
    public static TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    /// <summary>Whether another try fits in the budget that started at <paramref name="startTimestamp"/>.</summary>
    public static bool WithinBudget(long startTimestamp, TimeSpan budget) => Stopwatch.GetElapsedTime(startTimestamp) < budget;
}
