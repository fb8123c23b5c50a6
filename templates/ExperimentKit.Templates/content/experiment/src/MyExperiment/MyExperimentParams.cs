using ExperimentKit;

namespace MyExperiment;

/// <summary>
/// The parameters of one run. The experiment name, the version and the hash of these values are the run's
/// identity: a point of the sweep whose run is already completed is skipped. Bump <c>Version</c> when you
/// change what the runner computes; add a member with <c>[property: OmitIfDefault]</c> and a default to keep
/// the hashes of earlier runs valid.
/// </summary>
/// <param name="LearningRate">The step size of the descent.</param>
/// <param name="Steps">How many steps to take.</param>
/// <param name="Seed">Draws the target and the gradient noise (its own component hash, "data").</param>
/// <param name="Noise">How noisy each gradient is.</param>
[Experiment("myexperiment", Version = 1)]
public partial record MyExperimentParams(
    double LearningRate,
    int Steps = 100,
    [property: Component("data")] int Seed = 1,
    [property: OmitIfDefault] double Noise = 0.1);
