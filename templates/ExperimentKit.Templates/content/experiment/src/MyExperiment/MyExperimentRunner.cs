using System.Globalization;
using System.Text;
using ExperimentKit;
using Microsoft.Extensions.Logging;

namespace MyExperiment;

/// <summary>
/// One run: stochastic gradient descent towards a target drawn from the seed, with noisy gradients. Replace
/// the body with your simulation, training loop or benchmark; keep the three habits it shows: log metrics
/// (<c>metrics.jsonl</c>), checkpoint (so an interrupted run resumes), and write the result to
/// <see cref="RunContext.ResultPath"/>.
/// </summary>
public sealed partial class MyExperimentRunner(ILogger<MyExperimentRunner> logger) : IExperimentRunner<MyExperimentParams>
{
    /// <inheritdoc />
    public async Task RunAsync(MyExperimentParams parameters, RunContext run, CancellationToken cancellationToken)
    {
        var target = Target(parameters.Seed);
        var x = 0.0;
        var start = 1;
        if (run.IsResume && await run.Checkpoints.LatestAsync(cancellationToken) is { } checkpoint)
        {
            // The checkpoint holds the state after its step; the noise depends only on (seed, step), so a
            // resumed run ends exactly where an uninterrupted one would.
            await using var stream = checkpoint.OpenRead();
            using var reader = new StreamReader(stream);
            x = double.Parse(await reader.ReadToEndAsync(cancellationToken), CultureInfo.InvariantCulture);
            start = (int)checkpoint.Step + 1;
            LogResumed(logger, run.Uid, start);
        }

        var loss = Loss(x, target);
        for (var step = start; step <= parameters.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gradient = x - target + parameters.Noise * Gaussian(parameters.Seed, step);
            x -= parameters.LearningRate * gradient;
            loss = Loss(x, target);
            run.Log(step, new Dictionary<string, double> { ["loss"] = loss, ["x"] = x });

            // Saved every ExperimentKit:CheckpointEvery steps; the last CheckpointKeepLast are kept.
            var state = Encoding.UTF8.GetBytes(x.ToString("R", CultureInfo.InvariantCulture));
            await run.Checkpoints.MaybeSaveAsync(step, (s, ct) => s.WriteAsync(state, ct).AsTask(), cancellationToken);
        }

        run.Summary["loss"] = loss;
        await File.WriteAllTextAsync(
            run.ResultPath,
            string.Create(CultureInfo.InvariantCulture, $$"""{"x":{{x:R}},"target":{{target:R}},"loss":{{loss:R}}}"""),
            cancellationToken);
        LogFinished(logger, run.Uid, parameters.LearningRate, parameters.Seed, loss);
    }

    private static double Loss(double x, double target) => 0.5 * (x - target) * (x - target);

    private static double Target(int seed) => 10 * (Uniform(Mix((ulong)seed)) - 0.5);

    // A standard normal value that depends only on (seed, step): no System.Random, whose sequence .NET does
    // not promise to keep, so a run gives the same numbers on every machine and version.
    private static double Gaussian(int seed, int step)
    {
        var a = Mix(((ulong)(uint)seed << 32) | (uint)step);
        var b = Mix(a);
        return Math.Sqrt(-2 * Math.Log(1 - Uniform(a))) * Math.Cos(2 * Math.PI * Uniform(b));
    }

    private static double Uniform(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    // SplitMix64's finaliser.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [LoggerMessage(1, LogLevel.Information, "Run {Uid:D4} resumes at step {Step}")]
    private static partial void LogResumed(ILogger logger, long uid, int step);

    [LoggerMessage(2, LogLevel.Information, "Run {Uid:D4} (learning rate {LearningRate}, seed {Seed}) finished with loss {Loss:G4}")]
    private static partial void LogFinished(ILogger logger, long uid, double learningRate, int seed, double loss);
}
