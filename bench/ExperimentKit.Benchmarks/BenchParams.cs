using ExperimentKit;

namespace ExperimentKit.Benchmarks;

/// <summary>The optimiser a benchmark run uses (hashed as its name).</summary>
public enum Optimizer
{
    Sgd,
    Adam,
    AdamW,
}

/// <summary>A nested parameter group: hashed as an object of its members.</summary>
[ParameterGroup]
public partial record ModelShape(int Layers, int Width, double Dropout);

/// <summary>
/// A typical ten-member experiment: doubles, ints, a string, an enum, an int array and a nested group.
/// </summary>
[Experiment("bench")]
public partial record BenchParams(
    double LearningRate,
    double Momentum,
    double WeightDecay,
    int Epochs,
    int BatchSize,
    int Seed,
    string Dataset,
    Optimizer Optimizer,
    int[] Milestones,
    ModelShape Model)
{
    /// <summary>The value every hashing benchmark hashes.</summary>
    /// <remarks>
    /// <c>Momentum</c> is <c>0.1 * 9</c> = 0.9000000000000001, as a sweep would compute it, so the float rule
    /// has to round it (17 shortest digits down to 12); <c>WeightDecay</c> prints in exponent form (<c>1e-05</c>).
    /// </remarks>
    public static BenchParams Sample() => new(
        LearningRate: 3e-4,
        Momentum: 0.1 * 9,
        WeightDecay: 1e-5,
        Epochs: 90,
        BatchSize: 256,
        Seed: 42,
        Dataset: "imagenet-1k",
        Optimizer: Optimizer.AdamW,
        Milestones: [30, 60, 80],
        Model: new ModelShape(Layers: 50, Width: 64, Dropout: 0.1));
}
