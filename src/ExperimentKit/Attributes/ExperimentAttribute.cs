namespace ExperimentKit;

/// <summary>
/// Marks a <c>partial</c> record, class or struct as the parameters of an experiment. The ExperimentKit
/// source generator then emits, at compile time and without reflection, its canonical JSON, its
/// <see cref="ParamsHash"/>, component hashes, flat fields, exact JSON and a typed <c>Sweep(...)</c>.
/// </summary>
/// <remarks>
/// A run is identified by <c>(experiment name, version, params hash)</c>. Bump <see cref="Version"/> when
/// your code changes what a parameter set means: every earlier run then stops counting as done.
/// Names are made of <c>[A-Za-z0-9_.-]</c> segments separated by <c>/</c> (<c>mnist/cnn/train</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class ExperimentAttribute : Attribute
{
    /// <summary>Uses the type's name as the experiment name.</summary>
    public ExperimentAttribute()
    {
    }

    /// <summary>Names the experiment.</summary>
    /// <param name="name">The experiment name: <c>[A-Za-z0-9_.-]</c> segments separated by <c>/</c>.</param>
    public ExperimentAttribute(string name) => Name = name;

    /// <summary>The experiment name, or <see langword="null"/> for the type's name.</summary>
    public string? Name { get; }

    /// <summary>The experiment version (default 1). Bumping it means "my code changed meaning".</summary>
    public int Version { get; set; } = 1;
}
