namespace ExperimentKit;

/// <summary>What the generator knows of a parameter type: its identity and its members.</summary>
public sealed class ParametersDescriptor
{
    /// <summary>Creates a descriptor (called by generated code).</summary>
    public ParametersDescriptor(string typeName, string? experimentName, int version, IReadOnlyList<ParameterMember> members)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(members);
        TypeName = typeName;
        ExperimentName = experimentName;
        Version = version;
        Members = members;
        var components = new List<string>();
        foreach (var m in members)
        {
            if (!m.IsHashed)
            {
                continue;
            }

            var c = m.Component ?? ParametersDescriptor.ParamsComponent;
            if (!components.Contains(c))
            {
                components.Add(c);
            }
        }

        components.Sort(StringComparer.Ordinal);
        Components = components;
    }

    /// <summary>The name of the component that holds every hashed member without a <see cref="ComponentAttribute"/>.</summary>
    public const string ParamsComponent = "params";

    /// <summary>The fully qualified C# type name.</summary>
    public string TypeName { get; }

    /// <summary>The experiment name, or <see langword="null"/> for a <see cref="ParameterGroupAttribute"/> type.</summary>
    public string? ExperimentName { get; }

    /// <summary>The experiment version (1 for groups).</summary>
    public int Version { get; }

    /// <summary>Whether this type is an experiment (not only a parameter group).</summary>
    public bool IsExperiment => ExperimentName is not null;

    /// <summary>Every public instance property with a getter, in declaration order.</summary>
    public IReadOnlyList<ParameterMember> Members { get; }

    /// <summary>Component names, sorted ordinally.</summary>
    public IReadOnlyList<string> Components { get; }

    /// <summary>Finds a member by its C# name or its hash name (ordinal, then case-insensitive).</summary>
    /// <returns>The member, or <see langword="null"/>.</returns>
    public ParameterMember? FindMember(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var m in Members)
        {
            if (m.Name == name || m.HashName == name)
            {
                return m;
            }
        }

        foreach (var m in Members)
        {
            if (string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(m.HashName, name, StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return null;
    }
}
