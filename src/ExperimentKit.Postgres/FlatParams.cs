using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ExperimentKit.Postgres;

/// <summary>
/// The flat fields of exact params JSON as one JSON object, for the <c>params_flat</c> jsonb column: nested
/// objects become dotted paths (<c>{"Model":{"Layers":4}}</c> → <c>{"Model.Layers":4}</c>), scalars and arrays
/// stay as they were written. A <c>where</c> on a leaf is then a containment test, which a GIN index answers.
/// </summary>
internal static class FlatParams
{
    /// <summary>The flat object of <paramref name="paramsJson"/>.</summary>
    /// <exception cref="ArgumentException">The params are not a JSON object.</exception>
    public static string Flatten(string paramsJson)
    {
        var bytes = Encoding.UTF8.GetBytes(paramsJson);
        var output = new ArrayBufferWriter<byte>(bytes.Length + 64);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ArgumentException("The params JSON is not a JSON object.", nameof(paramsJson));
            }

            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            writer.WriteStartObject();
            WriteMembers(ref reader, bytes, writer, prefix: string.Empty);
            writer.WriteEndObject();
        }
        catch (JsonException e)
        {
            throw new ArgumentException("The params JSON is not valid JSON: " + e.Message, nameof(paramsJson), e);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes the members of the object the reader is in, up to its end.</summary>
    private static void WriteMembers(ref Utf8JsonReader reader, byte[] source, Utf8JsonWriter writer, string prefix)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var path = prefix + reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                WriteMembers(ref reader, source, writer, path + ".");
                continue;
            }

            writer.WritePropertyName(path);
            writer.WriteRawValue(RawValue(ref reader, source), skipInputValidation: true);
        }
    }

    /// <summary>The JSON text of the value at the reader (skipping over it), as written.</summary>
    public static ReadOnlySpan<byte> RawValue(ref Utf8JsonReader reader, byte[] source)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            reader.Skip();
        }

        return source.AsSpan(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>JSON text without insignificant white space, every token spelled as written (<c>{ "a": 1.0 }</c> → <c>{"a":1.0}</c>).</summary>
    public static string Minify(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var text = new StringBuilder(json.Length);
        var reader = new Utf8JsonReader(bytes);
        var previous = JsonTokenType.None;
        while (reader.Read())
        {
            var token = reader.TokenType;
            var needsComma = previous is not (JsonTokenType.None or JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName)
                && token is not (JsonTokenType.EndObject or JsonTokenType.EndArray);
            if (needsComma)
            {
                text.Append(',');
            }

            var raw = Encoding.UTF8.GetString(reader.ValueSpan);
            text.Append(token switch
            {
                JsonTokenType.StartObject => "{",
                JsonTokenType.EndObject => "}",
                JsonTokenType.StartArray => "[",
                JsonTokenType.EndArray => "]",
                JsonTokenType.PropertyName => "\"" + raw + "\":",
                JsonTokenType.String => "\"" + raw + "\"",
                _ => raw,
            });
            previous = token;
        }

        return text.ToString();
    }
}
