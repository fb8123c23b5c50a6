namespace ExperimentKit;

/// <summary>
/// Gives a member the name it has in canonical JSON, flat fields and exact JSON, independent of its C#
/// name. Use it to rename a property without changing any hash: keep the old name here.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class HashNameAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">Any non-empty text without <c>.</c> (flat field paths reserve it).</param>
    public HashNameAttribute(string name) => Name = name;

    /// <summary>The name used in canonical JSON and flat field paths.</summary>
    public string Name { get; }
}
