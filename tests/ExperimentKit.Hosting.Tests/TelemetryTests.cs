using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ExperimentKit.Hosting.Tests;

/// <summary>
/// The <c>ExperimentKit</c> meter and activity source, as an OpenTelemetry exporter would see them. Listeners
/// are process-wide, so measurements and spans are filtered to this test's own experiment (<c>telemetry</c>).
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Counters_and_run_spans_match_what_the_sweep_did()
    {
        using var root = new TempRoot("expkit-hosting-tests");
        var sweep = TelemetryParams.Sweep(index: Enumerable.Range(0, 5));

        using (var recorder = new Recorder())
        {
            using var host = HostedSweep.Create(root.Path, kit => kit.AddExperiment<TelemetryParams, TelemetryRunner>(sweep));
            host.Probe.Body = static (p, run, ct) => ((TelemetryParams)p).Index == 4 ? throw new InvalidOperationException("boom") : Probe.WriteResultAsync(p, run, ct);
            Assert.Equal(ExitCodes.RunFailed, await host.RunAsync());

            Assert.Equal(5, recorder.Total("experimentkit.runs.started"));
            Assert.Equal(4, recorder.Total("experimentkit.runs.completed"));
            Assert.Equal(1, recorder.Total("experimentkit.runs.failed"));
            Assert.Equal(0, recorder.Total("experimentkit.runs.skipped"));
            Assert.Equal(5, recorder.Count("experimentkit.run.duration"));

            var spans = recorder.Spans.ToList();
            Assert.Equal(5, spans.Count);
            Assert.All(spans, s => Assert.Equal("experimentkit.run", s.OperationName));
            Assert.Equal(sweep.Select(p => p.ComputeHash().ToString()).Order(), spans.Select(s => (string)s.GetTagItem("experimentkit.hash")!).Order());
            var failed = Assert.Single(spans, s => s.Status == ActivityStatusCode.Error);
            Assert.Equal(new TelemetryParams(4).ComputeHash().ToString(), failed.GetTagItem("experimentkit.hash"));
            Assert.All(spans, s => Assert.Equal(1, s.GetTagItem("experimentkit.attempt")));
        }

        // The next start: four points skipped in bulk (no span), the failed one retried (one span).
        using (var recorder = new Recorder())
        {
            using var host = HostedSweep.Create(root.Path, kit => kit.AddExperiment<TelemetryParams, TelemetryRunner>(sweep));
            Assert.Equal(ExitCodes.Success, await host.RunAsync());

            Assert.Equal(1, recorder.Total("experimentkit.runs.started"));
            Assert.Equal(1, recorder.Total("experimentkit.runs.completed"));
            Assert.Equal(0, recorder.Total("experimentkit.runs.failed"));
            Assert.Equal(4, recorder.Total("experimentkit.runs.skipped"));
            var span = Assert.Single(recorder.Spans);
            Assert.Equal(2, span.GetTagItem("experimentkit.attempt"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
    }

    /// <summary>Collects the <c>ExperimentKit</c> measurements and spans tagged with the <c>telemetry</c> experiment.</summary>
    private sealed class Recorder : IDisposable
    {
        private const string Experiment = "telemetry";
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private readonly ConcurrentQueue<(string Instrument, double Value)> _measurements = new();
        private readonly ConcurrentQueue<Activity> _spans = new();

        public Recorder()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ExperimentKitTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _meters.Start();

            _activities = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == ExperimentKitTelemetry.Name,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (Equals(activity.GetTagItem("experimentkit.experiment"), Experiment))
                    {
                        _spans.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public IEnumerable<Activity> Spans => _spans;

        public double Total(string instrument) => _measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

        public int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "experimentkit.experiment" && Equals(tag.Value, Experiment))
                {
                    _measurements.Enqueue((instrument.Name, value));
                    return;
                }
            }
        }
    }
}
