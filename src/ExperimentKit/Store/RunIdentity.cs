namespace ExperimentKit;

/// <summary>
/// A parameter set's key and its recorded forms. The key is computed at once (allocation-free); the JSON
/// forms only when a claim or a collision check needs them, so a cache hit stays cheap.
/// </summary>
internal sealed class RunIdentity
{
    private readonly Func<string> _paramsJson;
    private readonly Func<string> _canonicalJson;
    private readonly Func<IReadOnlyDictionary<string, string>> _components;
    private string? _params;
    private string? _canonical;
    private IReadOnlyDictionary<string, string>? _componentHashes;

    private RunIdentity(RunKey key, Func<string> paramsJson, Func<string> canonicalJson, Func<IReadOnlyDictionary<string, string>> components)
    {
        Key = key;
        _paramsJson = paramsJson;
        _canonicalJson = canonicalJson;
        _components = components;
    }

    public RunKey Key { get; }

    public string ParamsJson => _params ??= _paramsJson();

    public string CanonicalJson => _canonical ??= _canonicalJson();

    public IReadOnlyDictionary<string, string> ComponentHashes => _componentHashes ??= _components();

    public static RunIdentity Of<T>(T parameters)
        where T : IExperimentParameters<T>
    {
        var descriptor = T.Descriptor;
        return new RunIdentity(
            new RunKey(descriptor.ExperimentName!, descriptor.Version, parameters.ComputeHash().ToString()),
            () => ParameterJson.Serialize(parameters),
            parameters.ToCanonicalJson,
            parameters.ComputeComponentHashes);
    }

    /// <summary>Refuses a recorded row whose canonical JSON differs: two parameter sets with one hash.</summary>
    /// <exception cref="HashCollisionException">The canonical JSON differs.</exception>
    public void CheckSameParameters(RunRow row)
    {
        if (!string.Equals(row.CanonicalJson, CanonicalJson, StringComparison.Ordinal))
        {
            throw new HashCollisionException(Key, row.CanonicalJson, CanonicalJson);
        }
    }
}
