using System.Globalization;
using ExperimentKit;

namespace ExperimentKit.Cli.Tests;

/// <summary>
/// A results root made with the store: 4 completed runs of clitest/train (LearningRate 0.1 / 0.01 x Layers
/// 2 / 4) logging 10 steps of loss and accuracy, one failed run (LearningRate 1), and one run of clitest/other.
/// </summary>
public sealed class TestRoot : IAsyncDisposable
{
    private TestRoot(string root) => Root = root;

    public string Root { get; }

    public static Task<TestRoot> CreateAsync() => CreateAsync(null);

    /// <summary>The same runs, recorded in <paramref name="ledger"/> (a PostgreSQL ledger, say) instead of <c>{root}/ledger.db</c>.</summary>
    public static async Task<TestRoot> CreateAsync(IRunLedger? ledger)
    {
        var root = Path.Combine(Path.GetTempPath(), "expkit-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        await using (var store = ledger is null ? await ExperimentStore.OpenAsync(root) : await ExperimentStore.OpenAsync(root, ledger))
        {
            foreach (var lr in new[] { 0.1, 0.01 })
            {
                foreach (var layers in new[] { 2, 4 })
                {
                    await store.RunOrRetrieveAsync(new CliParams(lr, new CliModel(layers)), Train);
                }
            }

            try
            {
                await store.RunOrRetrieveAsync(new CliParams(1, new CliModel(2)), static (_, _, _) => throw new InvalidOperationException("diverged: loss is NaN"));
            }
            catch (InvalidOperationException)
            {
                // Recorded as Failed, as a sweep would.
            }

            await store.RunOrRetrieveAsync(new OtherParams(7), static (_, run, _) =>
            {
                run.Summary["score"] = 1;
                return Task.CompletedTask;
            });
        }

        return new TestRoot(root);
    }

    /// <summary>loss = 1/(1 + lr * layers * step): a larger rate or model ends lower.</summary>
    public static async Task Train(CliParams p, RunContext run, CancellationToken ct)
    {
        double loss = 1;
        for (var step = 0; step < 10; step++)
        {
            loss = 1 / (1 + (p.LearningRate * p.Model.Layers * step));
            run.Log(step, new Dictionary<string, double> { ["loss"] = loss, ["accuracy"] = 1 - (loss / 2) });
            await run.Checkpoints.SaveAsync(step, static (s, c) => s.WriteAsync(new byte[] { 1, 2, 3 }, c).AsTask(), ct);
        }

        run.Summary["loss"] = loss;
        run.Summary["accuracy"] = 1 - (loss / 2);
        await File.WriteAllTextAsync(run.ResultPath, loss.ToString(CultureInfo.InvariantCulture), ct);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One shared, read-only root for the tests that only read.</summary>
public sealed class SharedRoot : IAsyncLifetime
{
    public TestRoot Value { get; private set; } = null!;

    public async Task InitializeAsync() => Value = await TestRoot.CreateAsync();

    public async Task DisposeAsync() => await Value.DisposeAsync();
}
