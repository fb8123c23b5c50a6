namespace ExperimentKit;

/// <summary>
/// What the generator implements for every <see cref="ExperimentAttribute"/> type: identity and hashing on
/// top of <see cref="IParameterGroup{TSelf}"/>. Store, ledger and worker code is written against
/// <c>T : IExperimentParameters&lt;T&gt;</c>.
/// </summary>
/// <typeparam name="TSelf">The parameter type itself.</typeparam>
public interface IExperimentParameters<TSelf> : IParameterGroup<TSelf>
    where TSelf : IExperimentParameters<TSelf>
{
    /// <summary>The canonical JSON text (canonical hash v1) of the hashed members.</summary>
    /// <exception cref="ParameterValueException">A member holds NaN or an infinity.</exception>
    string ToCanonicalJson();

    /// <summary>The params hash: SHA-256 of the canonical JSON. Allocates nothing.</summary>
    /// <exception cref="ParameterValueException">A member holds NaN or an infinity.</exception>
    ParamsHash ComputeHash();

    /// <summary>The 8-hex hash of each component (<c>params</c> and every <see cref="ComponentAttribute"/> name).</summary>
    IReadOnlyDictionary<string, string> ComputeComponentHashes();

    /// <summary>Flat fields: <c>"Model.Layers" -&gt; 4</c>; collections and dictionaries are one JSON value.</summary>
    IReadOnlyDictionary<string, object?> ToFlat();
}
