using System.Globalization;

namespace ExperimentKit.Bench.Host;

/// <summary>A realistic small parameter record; the work is nil, so what is measured is the machinery around it.</summary>
[Experiment("bench/noop", Version = 1)]
public partial record NoopParams(int Seed, double LearningRate, string Optimizer = "adam", int Epochs = 10);

/// <summary>Writes a one-line result file and nothing else.</summary>
public sealed class NoopRunner : IExperimentRunner<NoopParams>
{
    private static long _calls;

    /// <summary>How many times the runner body ran in this process (the direct loop counts too).</summary>
    public static long Calls => Interlocked.Read(ref _calls);

    public Task RunAsync(NoopParams p, RunContext run, CancellationToken cancellationToken)
        => WriteResultAsync(p, run.ResultPath, cancellationToken);

    /// <summary>The whole of the runner's work, callable without a store for the direct-loop baseline.</summary>
    public static Task WriteResultAsync(NoopParams p, string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return File.WriteAllTextAsync(path, string.Create(CultureInfo.InvariantCulture, $"{{\"seed\":{p.Seed},\"loss\":{p.LearningRate}}}"), cancellationToken);
    }
}

/// <summary>The benchmark sweeps: <c>n</c> points as a grid of seeds × ten learning rates (seeds alone when n is not a multiple of ten).</summary>
public static class NoopSweep
{
    private static readonly double[] Rates = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1];

    public static Sweep<NoopParams> Of(int points) => points % Rates.Length == 0
        ? NoopParams.Sweep(seed: Enumerable.Range(1, points / Rates.Length), learningRate: Rates)
        : NoopParams.Sweep(seed: Enumerable.Range(1, points), learningRate: [1e-3]);
}
