using System.Globalization;

namespace ExperimentKit.Bench.Store;

/// <summary>The optimizer of a benchmark run.</summary>
public enum BenchOptimizer
{
    /// <summary>Plain SGD.</summary>
    Sgd,

    /// <summary>Adam.</summary>
    Adam,

    /// <summary>AdamW.</summary>
    AdamW,
}

/// <summary>The model of a benchmark run: a nested parameter group.</summary>
[ParameterGroup]
public partial record BenchModel(int Layers, int Width);

/// <summary>
/// A realistic ten-member parameter record: doubles, ints, a string, an enum, an int array and a nested group
/// (two of them components).
/// </summary>
[Experiment("bench/train")]
public partial record BenchParams(
    double LearningRate,
    int Epochs,
    int BatchSize,
    BenchOptimizer Optimizer,
    double Dropout,
    double WeightDecay,
    [property: Component("model")] BenchModel Model,
    [property: Component("data")] string Dataset,
    int Seed,
    int[] Schedule)
{
    private static readonly string[] Datasets = ["mnist", "cifar10", "fashion-mnist"];

    /// <summary>The n-th point of the benchmark's sweep: every n gives a different parameter set (the seed is n).</summary>
    public static BenchParams Point(int n) => new(
        LearningRate: 0.0001 * (1 + (n % 97)),
        Epochs: 10 + (n % 50),
        BatchSize: 32 << (n % 4),
        Optimizer: (BenchOptimizer)(n % 3),
        Dropout: 0.05 * (n % 7),
        WeightDecay: n % 2 == 0 ? 0.0001 : 0.0005,
        Model: new BenchModel(2 + (n % 8), 64 << (n % 3)),
        Dataset: Datasets[n % Datasets.Length],
        Seed: n,
        Schedule: [10 + (n % 5), 20 + (n % 5), 40]);

    /// <summary>A short description for the report.</summary>
    public static string Describe() => string.Create(CultureInfo.InvariantCulture, $"'{Descriptor.ExperimentName}' v{Descriptor.Version}, {Descriptor.Members.Count} members");
}
