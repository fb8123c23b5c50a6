using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// Reads and writes the exact (not rounded) JSON form of parameter values: doubles round-trip bit for bit,
/// decimals keep their scale. Called by generated code; use <see cref="ParameterJson"/> from your own code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ExactJson
{
    private const string NaNText = "NaN";
    private const string PositiveInfinityText = "Infinity";
    private const string NegativeInfinityText = "-Infinity";

    /// <summary>Writes a double exactly; NaN and infinities as the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? NaNText : value > 0 ? PositiveInfinityText : NegativeInfinityText);
        }
    }

    /// <summary>Writes a float exactly; NaN and infinities as strings.</summary>
    public static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? NaNText : value > 0 ? PositiveInfinityText : NegativeInfinityText);
        }
    }

    /// <summary>Writes a char as a one-character string.</summary>
    public static void WriteChar(Utf8JsonWriter writer, char value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(new ReadOnlySpan<char>(in value));
    }

    /// <summary>Writes a <see cref="DateOnly"/> as <c>yyyy-MM-dd</c>.</summary>
    public static void WriteDateOnly(Utf8JsonWriter writer, DateOnly value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[16];
        value.TryFormat(text, out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..n]);
    }

    /// <summary>Writes a <see cref="TimeOnly"/> as <c>HH:mm:ss.fffffff</c>.</summary>
    public static void WriteTimeOnly(Utf8JsonWriter writer, TimeOnly value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[24];
        value.TryFormat(text, out var n, "HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..n]);
    }

    /// <summary>Writes a <see cref="TimeSpan"/> in the constant <c>c</c> format.</summary>
    public static void WriteTimeSpan(Utf8JsonWriter writer, TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var n, "c", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..n]);
    }

    /// <summary>Moves the reader to the first token of the document when it has not been read yet.</summary>
    public static void Begin(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.None && !reader.Read())
        {
            throw new JsonException("The JSON is empty; expected a parameter object.");
        }
    }

    /// <summary>Checks that the reader is on <paramref name="expected"/>.</summary>
    /// <exception cref="JsonException">It is on another token.</exception>
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"Expected {Describe(expected)} but found {Describe(reader.TokenType)}.");
        }
    }

    /// <summary>Advances the reader, failing on a truncated document.</summary>
    /// <exception cref="JsonException">The JSON ends early.</exception>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends in the middle of a value.");
        }
    }

    /// <summary>Reads a boolean.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"Expected true or false but found {Describe(reader.TokenType)}."),
    };

    /// <summary>Reads an integer of type <typeparamref name="T"/>, checking its range.</summary>
    public static T ReadInteger<T>(ref Utf8JsonReader reader)
        where T : IBinaryInteger<T>
    {
        Expect(ref reader, JsonTokenType.Number);
        try
        {
            if (reader.TryGetInt64(out var l))
            {
                return T.CreateChecked(l);
            }

            if (reader.TryGetUInt64(out var u))
            {
                return T.CreateChecked(u);
            }
        }
        catch (OverflowException)
        {
        }

        throw new JsonException($"The number {Encoding.UTF8.GetString(reader.ValueSpan)} is not a {typeof(T).Name} (an integer in range).");
    }

    /// <summary>Reads a double written by <see cref="WriteDouble"/>.</summary>
    public static double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() switch
            {
                NaNText => double.NaN,
                PositiveInfinityText => double.PositiveInfinity,
                NegativeInfinityText => double.NegativeInfinity,
                var s => throw new JsonException($"Expected a number but found the string \"{s}\"."),
            };
        }

        Expect(ref reader, JsonTokenType.Number);
        return reader.GetDouble();
    }

    /// <summary>Reads a float written by <see cref="WriteSingle"/>.</summary>
    public static float ReadSingle(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return (float)ReadDouble(ref reader);
        }

        Expect(ref reader, JsonTokenType.Number);
        return reader.GetSingle();
    }

    /// <summary>Reads a decimal.</summary>
    public static decimal ReadDecimal(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number);
        return reader.GetDecimal();
    }

    /// <summary>Reads a string or null.</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String);
        return reader.GetString();
    }

    /// <summary>Reads a one-character string.</summary>
    public static char ReadChar(ref Utf8JsonReader reader)
    {
        var s = ReadString(ref reader);
        return s is { Length: 1 } ? s[0] : throw new JsonException($"Expected a one-character string but found \"{s}\".");
    }

    /// <summary>Reads a <see cref="Guid"/>.</summary>
    public static Guid ReadGuid(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return reader.GetGuid();
    }

    /// <summary>Reads a <see cref="DateTime"/>.</summary>
    public static DateTime ReadDateTime(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return reader.GetDateTime();
    }

    /// <summary>Reads a <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return reader.GetDateTimeOffset();
    }

    /// <summary>Reads a <see cref="DateOnly"/> (<c>yyyy-MM-dd</c>).</summary>
    public static DateOnly ReadDateOnly(ref Utf8JsonReader reader)
        => DateOnly.ParseExact(ReadString(ref reader) ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Reads a <see cref="TimeOnly"/> (<c>HH:mm:ss.fffffff</c>).</summary>
    public static TimeOnly ReadTimeOnly(ref Utf8JsonReader reader)
        => TimeOnly.ParseExact(ReadString(ref reader) ?? string.Empty, "HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    /// <summary>Reads a <see cref="TimeSpan"/> (<c>c</c> format).</summary>
    public static TimeSpan ReadTimeSpan(ref Utf8JsonReader reader)
        => TimeSpan.ParseExact(ReadString(ref reader) ?? string.Empty, "c", CultureInfo.InvariantCulture);

    /// <summary>Captures what <paramref name="write"/> writes as a detached <see cref="JsonElement"/> (a flat field's collection value).</summary>
    public static JsonElement ToElement<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, state);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>The UTF-8 JSON text of a <see cref="JsonElement"/> or of a JSON string.</summary>
    public static byte[] Utf8Of(object? value) => value switch
    {
        JsonElement e => Encoding.UTF8.GetBytes(e.GetRawText()),
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw new JsonException($"Expected a JSON value but found {value?.GetType().Name ?? "null"}."),
    };

    /// <summary>The error for a member missing from exact JSON.</summary>
    public static JsonException Missing(string type, string member)
        => new($"The JSON for {type} has no '{member}', and that member has no default. Add \"{member}\" to the JSON.");

    /// <summary>The error for a member whose JSON value cannot be read.</summary>
    public static JsonException Invalid(string type, string member, Exception inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new JsonException($"The JSON for {type} has a bad value for '{member}': {inner.Message}", inner);
    }

    /// <summary>The error for an enum text that names no member.</summary>
    public static JsonException UnknownEnumName(string enumType, string? text, string allowed)
        => new($"\"{text}\" is not a {enumType}; use one of: {allowed}, or an integer.");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndObject => "the end of an object",
        JsonTokenType.EndArray => "the end of an array",
        JsonTokenType.PropertyName => "a property name",
        _ => "nothing",
    };
}
