using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>Writes flat field values as the JSON text exact JSON would give them, for comparisons and queries.</summary>
public static class FlatJson
{
    /// <summary>The exact JSON text of a flat value (<c>4</c>, <c>"mnist"</c>, <c>true</c>, <c>[1,2]</c>).</summary>
    /// <exception cref="ArgumentException">The value's type has no JSON form.</exception>
    public static string ToJsonText(object? value)
    {
        if (value is JsonElement element)
        {
            return element.GetRawText();
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case string s: writer.WriteStringValue(s); break;
                case char c: ExactJson.WriteChar(writer, c); break;
                case double d: ExactJson.WriteDouble(writer, d); break;
                case float f: ExactJson.WriteSingle(writer, f); break;
                case decimal m: writer.WriteNumberValue(m); break;
                case long or int or short or sbyte: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case ulong or uint or ushort or byte: writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture)); break;
                case nint n: writer.WriteNumberValue((long)n); break;
                case nuint n: writer.WriteNumberValue((ulong)n); break;
                case Enum e: writer.WriteStringValue(e.ToString()); break;
                case Guid g: writer.WriteStringValue(g); break;
                case DateTime t: writer.WriteStringValue(t); break;
                case DateTimeOffset t: writer.WriteStringValue(t); break;
                case DateOnly d: ExactJson.WriteDateOnly(writer, d); break;
                case TimeOnly t: ExactJson.WriteTimeOnly(writer, t); break;
                case TimeSpan t: ExactJson.WriteTimeSpan(writer, t); break;
                default:
                    throw new ArgumentException($"A flat value of type {value.GetType().Name} has no JSON form; use a number, bool, string, enum, date, GUID or a JsonElement.", nameof(value));
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
