using ExperimentKit;

namespace ExperimentKit.Cli.Tests;

/// <summary>The tests' experiment: a learning rate, a model group, a data component and a field that is not hashed.</summary>
[Experiment("clitest/train", Version = 1)]
public partial record CliParams(
    double LearningRate,
    [property: Component("model")] CliModel Model,
    [property: Component("data")] string Dataset = "mnist",
    [property: NotHashed] int Threads = 4);

/// <summary>The model part of <see cref="CliParams"/>.</summary>
[ParameterGroup]
public partial record CliModel(int Layers, int Width = 64);

/// <summary>A second experiment, so that uid 1 exists twice.</summary>
[Experiment("clitest/other", Version = 1)]
public partial record OtherParams(int Seed);
