namespace ExperimentKit.Tests.Generated;

// Pairs of types that describe the same parameters in different ways. Their hashes must agree.

[Experiment("order-a")]
public partial record OrderA(double X, int Y, string Z, bool W);

[Experiment("order-b")]
public partial record OrderB(bool W, string Z, double X, int Y);

[Experiment("evolve")]
public partial record EvolveV1(double Rate, int Steps);

[Experiment("evolve-v2")]
public partial record EvolveV2(double Rate, int Steps, [property: OmitIfDefault] int Warmup = 0, [property: OmitIfDefault] string Schedule = "constant");

[Experiment("renamed")]
public partial record Renamed([property: HashName("Rate")] double LearningRate, [property: HashName("Steps")] int Iterations);

/// <summary>The example of docs/hashing.md, so the documented hash is checked against generated code.</summary>
[Experiment("mnist/cnn")]
public partial record DocTrain(int Epochs, double LearningRate, DocOptimizer Optimizer, int[] Layers, HashSet<string> Tags);

public enum DocOptimizer
{
    Sgd,
    Adam,
}
