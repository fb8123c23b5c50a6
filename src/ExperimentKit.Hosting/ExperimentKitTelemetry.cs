using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ExperimentKit.Hosting;

/// <summary>
/// The <c>ExperimentKit</c> meter (runs started, completed, skipped, failed, interrupted; run duration) and
/// activity source (one span per run), so OpenTelemetry users get them by adding the names.
/// </summary>
public sealed class ExperimentKitTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "ExperimentKit";

    private readonly Meter _meter;

    /// <summary>Creates the instruments, through <paramref name="meterFactory"/> when the host provides one.</summary>
    public ExperimentKitTelemetry(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        Started = _meter.CreateCounter<long>("experimentkit.runs.started", "{run}", "Runs whose runner started.");
        Completed = _meter.CreateCounter<long>("experimentkit.runs.completed", "{run}", "Runs completed by this process.");
        Skipped = _meter.CreateCounter<long>("experimentkit.runs.skipped", "{run}", "Sweep points skipped because they were already completed.");
        Failed = _meter.CreateCounter<long>("experimentkit.runs.failed", "{run}", "Runs whose runner threw on its last allowed attempt.");
        Interrupted = _meter.CreateCounter<long>("experimentkit.runs.interrupted", "{run}", "Runs cancelled by shutdown.");
        Duration = _meter.CreateHistogram<double>("experimentkit.run.duration", "s", "How long runners ran.");
    }

    /// <summary>One span per run: <c>experimentkit.run</c>.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    internal Counter<long> Started { get; }

    internal Counter<long> Completed { get; }

    internal Counter<long> Skipped { get; }

    internal Counter<long> Failed { get; }

    internal Counter<long> Interrupted { get; }

    internal Histogram<double> Duration { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
