using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ExperimentKit.Hosting.Tests;

/// <summary>The parameters of most in-process tests.</summary>
[Experiment("hosted")]
public partial record HostedParams(int Index, double LearningRate = 0.1, int Epochs = 1);

/// <summary>A second experiment, so telemetry tests can tell their own measurements from other tests' by the experiment tag.</summary>
[Experiment("telemetry")]
public partial record TelemetryParams(int Index);

/// <summary>The experiment of the code-change tests: its runner's fingerprint is global state, so no other test uses it.</summary>
[Experiment("codechange")]
public partial record CodeChangeParams(int Index);

/// <summary>A second experiment beside <see cref="HostedParams"/>, for hosts with two.</summary>
[Experiment("second")]
public partial record SecondParams(int Seed);

/// <summary>One call of a runner, as the probe saw it.</summary>
internal sealed record RunCall(object Params, string Hash, int Attempt, bool IsResume);

/// <summary>
/// A per-host singleton the runners report to and take their behaviour from, so parallel tests, each with its
/// own host, do not see each other's runs.
/// </summary>
internal sealed class Probe
{
    private readonly ConcurrentQueue<RunCall> _calls = new();

    /// <summary>What a run does after it is recorded; by default it writes its result file.</summary>
    public Func<object, RunContext, CancellationToken, Task> Body { get; set; } = WriteResultAsync;

    public IReadOnlyList<RunCall> Calls => _calls.ToArray();

    public IEnumerable<T> ParamsOf<T>() => Calls.Select(c => c.Params).OfType<T>();

    public Task RunAsync(object parameters, RunContext run, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new RunCall(parameters, run.Hash, run.Attempt, run.IsResume));
        return Body(parameters, run, cancellationToken);
    }

    public static Task WriteResultAsync(object parameters, RunContext run, CancellationToken cancellationToken)
        => File.WriteAllTextAsync(run.ResultPath, "{}", cancellationToken);

    /// <summary>A body that saves a checkpoint per step, waiting <paramref name="stepDelay"/> between steps; it resumes after the latest checkpoint.</summary>
    public static Func<object, RunContext, CancellationToken, Task> Checkpointed(int steps, TimeSpan stepDelay, Action<RunContext, long>? saved = null)
        => async (parameters, run, cancellationToken) =>
        {
            var start = 0L;
            if (run.IsResume && await run.Checkpoints.LatestAsync(cancellationToken) is { } checkpoint)
            {
                start = checkpoint.Step + 1;
            }

            run.Summary["from"] = start;
            for (var step = start; step < steps; step++)
            {
                await Task.Delay(stepDelay, cancellationToken);
                await run.Checkpoints.SaveAsync(step, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(step.ToString(CultureInfo.InvariantCulture)), ct).AsTask(), cancellationToken);
                saved?.Invoke(run, step);
            }

            await File.WriteAllTextAsync(run.ResultPath, "{}", cancellationToken);
        };
}

/// <summary>The runner of <see cref="HostedParams"/>: resolved per run from a DI scope, it reports to the probe.</summary>
internal sealed class HostedRunner(Probe probe) : IExperimentRunner<HostedParams>
{
    public Task RunAsync(HostedParams parameters, RunContext run, CancellationToken cancellationToken) => probe.RunAsync(parameters, run, cancellationToken);
}

/// <inheritdoc cref="HostedRunner"/>
internal sealed class TelemetryRunner(Probe probe) : IExperimentRunner<TelemetryParams>
{
    public Task RunAsync(TelemetryParams parameters, RunContext run, CancellationToken cancellationToken) => probe.RunAsync(parameters, run, cancellationToken);
}

/// <inheritdoc cref="HostedRunner"/>
internal sealed class CodeChangeRunner(Probe probe) : IExperimentRunner<CodeChangeParams>
{
    public Task RunAsync(CodeChangeParams parameters, RunContext run, CancellationToken cancellationToken) => probe.RunAsync(parameters, run, cancellationToken);
}

/// <inheritdoc cref="HostedRunner"/>
internal sealed class SecondRunner(Probe probe) : IExperimentRunner<SecondParams>
{
    public Task RunAsync(SecondParams parameters, RunContext run, CancellationToken cancellationToken) => probe.RunAsync(parameters, run, cancellationToken);
}
