using System.Diagnostics;

namespace ExperimentKit.Hosting;

/// <summary>Counts of one sweep, updated from many runner tasks.</summary>
internal sealed class SweepProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _completed;
    private long _skipped;
    private long _failed;
    private long _running;
    private long _interrupted;

    public SweepProgress(string experiment, long? total)
    {
        Experiment = experiment;
        Total = total;
    }

    public string Experiment { get; }

    public long? Total { get; }

    public long Completed => Interlocked.Read(ref _completed);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long Failed => Interlocked.Read(ref _failed);

    public long Running => Interlocked.Read(ref _running);

    public long Interrupted => Interlocked.Read(ref _interrupted);

    public long Done => Completed + Skipped + Failed;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void AddCompleted() => Interlocked.Increment(ref _completed);

    public void AddSkipped(long count = 1) => Interlocked.Add(ref _skipped, count);

    public void AddFailed() => Interlocked.Increment(ref _failed);

    public void AddInterrupted() => Interlocked.Increment(ref _interrupted);

    public void RunStarted() => Interlocked.Increment(ref _running);

    public void RunEnded() => Interlocked.Decrement(ref _running);

    /// <summary>Runs per second of completed runs (skips are not work).</summary>
    public double Rate => Completed / Math.Max(Elapsed.TotalSeconds, 1e-3);

    public string TotalText => Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    public string Eta
    {
        get
        {
            if (Total is not { } total || Rate <= 0)
            {
                return "?";
            }

            var remaining = Math.Max(0, total - Done);
            var seconds = remaining / Rate;
            return seconds > TimeSpan.MaxValue.TotalSeconds / 2 ? "?" : TimeSpan.FromSeconds(Math.Ceiling(seconds)).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string Line()
        => $"{Experiment}: {Done}/{TotalText} done ({Skipped} skipped, {Running} running, {Failed} failed) {Rate:F1} runs/s ETA {Eta}";
}
