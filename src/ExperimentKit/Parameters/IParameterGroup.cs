using System.ComponentModel;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// What the generator implements for every <see cref="ParameterGroupAttribute"/> and
/// <see cref="ExperimentAttribute"/> type, so the library works on parameters generically and without
/// reflection. You never implement it by hand.
/// </summary>
/// <typeparam name="TSelf">The parameter type itself.</typeparam>
public interface IParameterGroup<TSelf>
    where TSelf : IParameterGroup<TSelf>
{
    /// <summary>The members, their types, hash names and components, as the generator saw them.</summary>
    static abstract ParametersDescriptor Descriptor { get; }

    /// <summary>Writes this value's canonical JSON object (hashed members only, keys in code-point order).</summary>
    /// <exception cref="ParameterValueException">A member holds NaN or an infinity.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void WriteCanonical(ref CanonicalJsonWriter writer);

    /// <summary>Writes every member, hashed or not, exactly (doubles bit for bit) as a JSON object.</summary>
    void WriteExactJson(Utf8JsonWriter writer);

    /// <summary>Reads a value written by <see cref="WriteExactJson"/>; the reader is on the object's start.</summary>
    /// <exception cref="JsonException">The JSON does not describe this type; the message names the member.</exception>
    static abstract TSelf ReadExactJson(ref Utf8JsonReader reader);

    /// <summary>Adds this value's flat fields under <paramref name="prefix"/> (empty at the top level).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    void AppendFlat(IDictionary<string, object?> fields, string prefix);

    /// <summary>Rebuilds a value from flat fields under <paramref name="prefix"/> (empty at the top level).</summary>
    /// <exception cref="ParameterValueException">A field is missing (and has no default) or has the wrong type.</exception>
    static abstract TSelf FromFlat(IReadOnlyDictionary<string, object?> fields, string prefix);
}
