namespace ExperimentKit;

/// <summary>One member of a parameter type, as the generator saw it.</summary>
/// <param name="Name">The C# property name.</param>
/// <param name="HashName">The name in canonical JSON, flat paths and exact JSON (<see cref="HashNameAttribute"/> or <paramref name="Name"/>).</param>
/// <param name="TypeName">The C# type, fully qualified.</param>
/// <param name="Kind">How the value is represented.</param>
/// <param name="IsHashed">False for <see cref="NotHashedAttribute"/> members.</param>
/// <param name="OmitIfDefault">Whether <see cref="OmitIfDefaultAttribute"/> is set.</param>
/// <param name="Component">The component name, or <see langword="null"/> for <c>params</c>.</param>
/// <param name="HasDefault">Whether the member has a compile-time constant default.</param>
/// <param name="DefaultValue">That default, when <paramref name="HasDefault"/>.</param>
/// <param name="IsSettable">Whether the member can be set (constructor parameter, init or set accessor).</param>
/// <param name="Group">The nested group's descriptor, for <see cref="ParameterKind.Group"/> members.</param>
/// <param name="EnumNames">The declared names, for <see cref="ParameterKind.Enum"/> members.</param>
public sealed record ParameterMember(
    string Name,
    string HashName,
    string TypeName,
    ParameterKind Kind,
    bool IsHashed,
    bool OmitIfDefault,
    string? Component,
    bool HasDefault,
    object? DefaultValue,
    bool IsSettable,
    ParametersDescriptor? Group = null,
    IReadOnlyList<string>? EnumNames = null);
