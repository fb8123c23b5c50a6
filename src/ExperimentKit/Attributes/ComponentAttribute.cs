namespace ExperimentKit;

/// <summary>
/// Puts a member of an experiment into a named component (such as <c>model</c> or <c>data</c>) with a
/// hash of its own, so runs can be grouped and compared by what changed. Members without this attribute
/// form the component <c>params</c>.
/// </summary>
/// <remarks>Write it on a positional record parameter as <c>[property: Component("model")]</c>.</remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ComponentAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The component name: letters, digits, <c>_</c>, <c>-</c>; not <c>params</c>.</param>
    public ComponentAttribute(string name) => Name = name;

    /// <summary>The component name.</summary>
    public string Name { get; }
}
