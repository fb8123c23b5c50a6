using ExperimentKit;

namespace QuickStart;

/// <summary>A logistic-regression fit by gradient descent on a seeded synthetic data set.</summary>
[Experiment("quickstart/logreg", Version = 1)]
public partial record FitParams(
    double LearningRate,
    [property: Component("regularisation")] double L2,
    [property: Component("data")] DataSpec Data,
    int Epochs = 60);

/// <summary>The synthetic data: how many points, how many features, and the seed that draws them.</summary>
[ParameterGroup]
public partial record DataSpec(int Points = 400, int Features = 6, int Seed = 1);
