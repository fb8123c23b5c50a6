using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace ExperimentKit.Hosting.TestApp;

/// <summary>
/// Saves a checkpoint at every step and writes a journal line per start and per saved step to
/// <c>{Soak:Journal}/{hash}.log</c> (outside the run folder), so tests can check every resume continued after
/// the last checkpoint it could have seen. Each journal line is also written to standard output as
/// <c>journal {hash} {line}</c>.
/// </summary>
public sealed class SoakRunner(IConfiguration configuration) : IExperimentRunner<SoakParams>
{
    public async Task RunAsync(SoakParams p, RunContext run, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(configuration.GetValue("Soak:DelayMs", 10));
        var journal = Path.Combine(configuration["Soak:Journal"] ?? run.RunDirectory, run.Hash + ".log");
        var start = 0;
        if (run.IsResume && await run.Checkpoints.LatestAsync(cancellationToken) is { } checkpoint)
        {
            start = (int)checkpoint.Step + 1;
        }

        Append(journal, $"start {run.Attempt} {run.IsResume} {start}");
        if (configuration.GetValue("Soak:FailIndex", -1) == p.Index)
        {
            throw new InvalidOperationException($"point {p.Index} fails on purpose");
        }

        for (var step = start; step < p.Steps; step++)
        {
            await Task.Delay(delay, cancellationToken);
            run.Log(step, "value", step);
            await run.Checkpoints.SaveAsync(step, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(step.ToString(CultureInfo.InvariantCulture)), ct).AsTask(), cancellationToken);
            Append(journal, $"saved {step}");
        }

        await File.WriteAllTextAsync(run.ResultPath, "{}", cancellationToken);
        Append(journal, "done");
    }

    private static void Append(string path, string line)
    {
        // One write call per line, flushed: a kill can lose a line, never tear one.
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        stream.Flush(flushToDisk: false);

        // The same line on standard output, after the journal has it: tests time signals and kills by it.
        Console.Out.WriteLine($"journal {Path.GetFileNameWithoutExtension(path)} {line}");
    }
}
