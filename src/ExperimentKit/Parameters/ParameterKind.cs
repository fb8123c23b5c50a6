namespace ExperimentKit;

/// <summary>How a parameter member's value is represented.</summary>
public enum ParameterKind
{
    /// <summary><c>bool</c>.</summary>
    Boolean,

    /// <summary>Any integer type.</summary>
    Integer,

    /// <summary><c>double</c>, <c>float</c> or <c>decimal</c>.</summary>
    Float,

    /// <summary><c>string</c> or <c>char</c>.</summary>
    String,

    /// <summary>An enum.</summary>
    Enum,

    /// <summary><see cref="Guid"/>, dates, times and durations (written as strings).</summary>
    Text,

    /// <summary>An ordered collection.</summary>
    Array,

    /// <summary>A set (sorted in canonical JSON).</summary>
    Set,

    /// <summary>A dictionary.</summary>
    Dictionary,

    /// <summary>A nested <see cref="ParameterGroupAttribute"/> type.</summary>
    Group,
}
