namespace ExperimentKit.Tests.Store;

[ParameterGroup]
public partial record Net(int Layers, int Width);

[Experiment("store/sim")]
public partial record SimParams(
    double Dt,
    int Steps,
    [property: Component("net")] Net Net,
    [property: Component("data")] string Dataset = "mnist",
    [property: NotHashed] int Threads = 1);

[Experiment("store/fingerprint")]
public partial record FingerprintParams(int Seed);

/// <summary>A runner class: the generator fingerprints it and registers the fingerprint when this assembly loads.</summary>
public sealed class FingerprintRunner : IExperimentRunner<FingerprintParams>
{
    public Task RunAsync(FingerprintParams parameters, RunContext run, CancellationToken cancellationToken)
    {
        run.Summary["seed"] = parameters.Seed;
        return File.WriteAllTextAsync(run.ResultPath, $"{{\"seed\":{parameters.Seed}}}", cancellationToken);
    }
}
