namespace ExperimentKit.Tests.Sweeps;

/// <summary>
/// A parameter record with a <c>Sweep(...)</c> method written the way the source generator emits it, so these
/// tests exercise the runtime exactly as generated code calls it.
/// </summary>
public sealed record TrainParams(double LearningRate, int Epochs, string Dataset)
{
    public static Sweep<TrainParams> Sweep(IEnumerable<double>? learningRate = null, IEnumerable<int>? epochs = null, IEnumerable<string>? dataset = null)
    {
        var a0 = SweepAxis.Required(learningRate, "train", "LearningRate", "learningRate");
        var a1 = SweepAxis.Required(epochs, "train", "Epochs", "epochs");
        var a2 = SweepAxis.OrDefault(dataset, "mnist", "train", "Dataset", "dataset");
        return Sweep<TrainParams>.Grid([a0.Length, a1.Length, a2.Length], idx => new TrainParams(a0[idx[0]], a1[idx[1]], a2[idx[2]]));
    }
}
