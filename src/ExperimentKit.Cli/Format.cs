using System.Globalization;

namespace ExperimentKit.Cli;

/// <summary>How values are shown to people (invariant culture, short).</summary>
internal static class Format
{
    public static string Number(double value)
        => double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "Infinity" : "-Infinity") : value.ToString("G5", CultureInfo.InvariantCulture);

    /// <summary>Exact, round-trippable number for CSV and JSON-lines.</summary>
    public static string Exact(double value)
        => double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "Infinity" : "-Infinity") : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Elapsed(TimeSpan? elapsed) => elapsed switch
    {
        null => string.Empty,
        { TotalSeconds: < 60 } e => e.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        { TotalHours: < 1 } e => $"{e.Minutes}m{e.Seconds:D2}s",
        { } e => $"{(int)e.TotalHours}h{e.Minutes:D2}m",
    };

    public static string Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string IsoTime(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string Uid(long uid) => uid.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary><c>experiment:0007</c>: the unambiguous way to name a run.</summary>
    public static string RunName(RunRow row) => $"{row.Key.Experiment}:{Uid(row.Uid)}";

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string FirstLine(string? text) => text is null ? string.Empty : text.Split('\n', 2)[0].Trim();
}
