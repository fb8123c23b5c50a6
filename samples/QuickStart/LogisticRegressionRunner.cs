using System.Globalization;
using System.Text;
using ExperimentKit;
using Microsoft.Extensions.Logging;

namespace QuickStart;

/// <summary>
/// Fits the weights by full-batch gradient descent, logging loss and accuracy at every epoch, saving the
/// weights as a checkpoint every few epochs (so an interrupted fit resumes), and writing the final weights
/// and scores as the run's result.
/// </summary>
public sealed class LogisticRegressionRunner(ILogger<LogisticRegressionRunner> logger) : IExperimentRunner<FitParams>
{
    public async Task RunAsync(FitParams p, RunContext run, CancellationToken cancellationToken)
    {
        var data = SyntheticData.Draw(p.Data);
        var weights = new double[p.Data.Features];
        var start = 0;
        if (run.IsResume && await run.Checkpoints.LatestAsync(cancellationToken) is { } checkpoint)
        {
            await using var stream = checkpoint.OpenRead();
            using var reader = new StreamReader(stream);
            weights = (await reader.ReadToEndAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(static w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray();
            start = (int)checkpoint.Step + 1;
            logger.LogInformation("Run {Uid:D4} resumes at epoch {Epoch}", run.Uid, start);
        }

        var (loss, accuracy) = Evaluate(data, weights, p.L2);
        for (var epoch = start; epoch < p.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(data, weights, p.LearningRate, p.L2);
            (loss, accuracy) = Evaluate(data, weights, p.L2);
            run.Log(epoch, new Dictionary<string, double> { ["loss"] = loss, ["accuracy"] = accuracy });
            await run.Checkpoints.MaybeSaveAsync(epoch, (s, ct) => s.WriteAsync(Encode(weights), ct).AsTask(), cancellationToken);
        }

        run.Summary["loss"] = loss;
        run.Summary["accuracy"] = accuracy;
        await File.WriteAllTextAsync(run.ResultPath, $$"""{"loss":{{loss.ToString("R", CultureInfo.InvariantCulture)}},"accuracy":{{accuracy.ToString("R", CultureInfo.InvariantCulture)}},"weights":[{{string.Join(",", weights.Select(static w => w.ToString("R", CultureInfo.InvariantCulture)))}}]}""", cancellationToken);
    }

    private static void Step(SyntheticData data, double[] w, double rate, double l2)
    {
        var gradient = new double[w.Length];
        for (var i = 0; i < data.X.Length; i++)
        {
            var error = Sigmoid(Dot(data.X[i], w)) - data.Y[i];
            for (var j = 0; j < w.Length; j++)
            {
                gradient[j] += error * data.X[i][j] / data.X.Length;
            }
        }

        for (var j = 0; j < w.Length; j++)
        {
            w[j] -= rate * (gradient[j] + l2 * w[j]);
        }
    }

    private static (double Loss, double Accuracy) Evaluate(SyntheticData data, double[] w, double l2)
    {
        double loss = 0, correct = 0;
        for (var i = 0; i < data.X.Length; i++)
        {
            var p = Math.Clamp(Sigmoid(Dot(data.X[i], w)), 1e-12, 1 - 1e-12);
            loss -= data.Y[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
            correct += (p >= 0.5 ? 1 : 0) == data.Y[i] ? 1 : 0;
        }

        return (loss / data.X.Length + 0.5 * l2 * w.Sum(static v => v * v), correct / data.X.Length);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Dot(double[] a, double[] b) => a.Zip(b, static (x, y) => x * y).Sum();

    private static byte[] Encode(double[] w) => Encoding.UTF8.GetBytes(string.Join('\n', w.Select(static v => v.ToString("R", CultureInfo.InvariantCulture))));
}
