using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ExperimentKit.Benchmarks;

/// <summary>
/// The baseline: canonical hash v1 computed the obvious way with reflection-based System.Text.Json —
/// serialize to a node tree, rebuild it with sorted keys and rounded doubles, write compact JSON, SHA-256, hex.
/// </summary>
/// <remarks>
/// It is only as complete as this benchmark needs. Numbers are told apart by their JSON text (a double
/// that holds an integer, such as 2.0, serializes as <c>2</c> and would wrongly be hashed as an integer),
/// strings are escaped by <see cref="Utf8JsonWriter"/>'s default encoder (fine for plain ASCII text only), and
/// doubles of 1e15 to 1e16 print in exponent form. The benchmark's global setup checks that the text and hash
/// equal the generated ones for the value it measures.
/// </remarks>
[RequiresUnreferencedCode(ReflectionHasher.Reason)]
[RequiresDynamicCode(ReflectionHasher.Reason)]
public static class ReflectionHasher
{
    internal const string Reason = "Reflection-based System.Text.Json serialization of arbitrary types.";

    private static readonly JsonSerializerOptions s_options = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The params hash: first 16 hex characters of the SHA-256 of the canonical JSON.</summary>
    public static string ComputeHash<T>(T value)
    {
        byte[] digest = SHA256.HashData(CanonicalJsonUtf8(value));
        return Convert.ToHexStringLower(digest)[..16];
    }

    /// <summary>The canonical JSON text.</summary>
    public static string ToCanonicalJson<T>(T value) => Encoding.UTF8.GetString(CanonicalJsonUtf8(value));

    private static byte[] CanonicalJsonUtf8<T>(T value)
    {
        JsonNode? node = JsonSerializer.SerializeToNode(value, s_options);
        object? tree = Canonicalize(node);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, tree);
        }

        return stream.ToArray();
    }

    /// <summary>Rebuilds a node as plain values: sorted dictionaries, lists, longs, rounded doubles, strings.</summary>
    private static object? Canonicalize(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                // Ordinal order is code-point order for the ASCII member names used here.
                var sorted = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    sorted[property.Key] = Canonicalize(property.Value);
                }

                return sorted;
            case JsonArray array:
                var list = new List<object?>(array.Count);
                foreach (JsonNode? item in array)
                {
                    list.Add(Canonicalize(item));
                }

                return list;
            default:
                JsonValue value = node.AsValue();
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        return value.GetValue<string>();
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Number:
                        if (value.TryGetValue(out long integer))
                        {
                            return integer;
                        }

                        double d = value.GetValue<double>();
                        double rounded = double.Parse(d.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                        return rounded == 0 ? 0.0 : rounded;
                    default:
                        return null;
                }
        }
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteRawValue(PythonRepr(d), skipInputValidation: true);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case SortedDictionary<string, object?> obj:
                writer.WriteStartObject();
                foreach (KeyValuePair<string, object?> property in obj)
                {
                    writer.WritePropertyName(property.Key);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Unexpected value of type {value.GetType()}.");
        }
    }

    /// <summary>Python's <c>repr</c> of a double, from .NET's shortest round-trip text.</summary>
    private static string PythonRepr(double d)
    {
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            // "1E-05" -> "1e-05", "1.5E+16" -> "1.5e+16"
            int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            string sign = exponent < 0 ? "-" : "+";
            return string.Concat(text.AsSpan(0, e), "e", sign, Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }

        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}
