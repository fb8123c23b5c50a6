namespace ExperimentKit;

/// <summary>Runs one parameter set. Write the main result to <see cref="RunContext.ResultPath"/>.</summary>
/// <typeparam name="T">The parameter type.</typeparam>
public interface IExperimentRunner<in T>
{
    /// <summary>Runs one attempt. Check <see cref="RunContext.IsResume"/> and load the last checkpoint to continue.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="run">The run's identity, folder, metrics, checkpoints and artifacts.</param>
    /// <param name="cancellationToken">Cancelled on shutdown or when the claim is lost; the run is then recorded Interrupted.</param>
    Task RunAsync(T parameters, RunContext run, CancellationToken cancellationToken);
}

/// <summary>A runner written as a delegate.</summary>
/// <typeparam name="T">The parameter type.</typeparam>
public delegate Task ExperimentRunner<in T>(T parameters, RunContext run, CancellationToken cancellationToken);
