namespace ExperimentKit;

/// <summary>What identifies a run: experiment name, experiment version and params hash.</summary>
/// <param name="Experiment">The experiment name (<c>mnist/cnn/train</c>).</param>
/// <param name="Version">The experiment version.</param>
/// <param name="Hash">The 16-hex params hash.</param>
public readonly record struct RunKey(string Experiment, int Version, string Hash)
{
    /// <summary>The key of a parameter set.</summary>
    public static RunKey For<T>(T parameters)
        where T : IExperimentParameters<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var d = T.Descriptor;
        return new RunKey(d.ExperimentName!, d.Version, parameters.ComputeHash().ToString());
    }

    /// <inheritdoc />
    public override string ToString() => $"{Experiment} v{Version} {Hash}";
}
