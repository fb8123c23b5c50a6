using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExperimentKit.Tests.Hashing;

/// <summary>One vector of <c>Vectors/hash-vectors-v1.json</c>.</summary>
public sealed record HashVector(string Name, JsonElement Value, string? Canonical, string? Hash, string? Sha256);

/// <summary>Loads the canonical hash v1 vectors and maps their typed value trees onto <see cref="CanonicalJsonWriter"/>.</summary>
public static class HashVectors
{
    private static readonly Lazy<(IReadOnlyList<HashVector> Vectors, IReadOnlyList<HashVector> Rejected)> s_file = new(Load);

    public static IReadOnlyList<HashVector> Vectors => s_file.Value.Vectors;

    public static IReadOnlyList<HashVector> Rejected => s_file.Value.Rejected;

    public static HashVector Get(string name) => Vectors.Single(v => v.Name == name);

    public static HashVector GetRejected(string name) => Rejected.Single(v => v.Name == name);

    /// <summary>Writes a typed value tree and returns the canonical text and hash.</summary>
    public static (string Canonical, ParamsHash Hash) Compute(JsonElement value, int initialBuffer = 512)
    {
        Span<byte> buffer = stackalloc byte[initialBuffer];
        var writer = new CanonicalJsonWriter(buffer);
        try
        {
            Write(ref writer, value);
            return (Encoding.UTF8.GetString(writer.WrittenSpan), ParamsHash.Compute(writer.WrittenSpan));
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Writes one typed node: <c>{"t": type, "v": value}</c>.</summary>
    public static void Write(ref CanonicalJsonWriter writer, JsonElement node)
    {
        string type = node.GetProperty("t").GetString()!;
        switch (type)
        {
            case "null":
                writer.WriteNull();
                break;
            case "bool":
                writer.WriteBoolean(node.GetProperty("v").GetBoolean());
                break;
            case "int":
                {
                    string text = Text(node);
                    if (text.StartsWith('-'))
                    {
                        writer.WriteInteger(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        ulong u = ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
                        if (u > long.MaxValue)
                        {
                            writer.WriteInteger(u);
                        }
                        else
                        {
                            writer.WriteInteger((long)u);
                        }
                    }

                    break;
                }

            case "double":
                writer.WriteDouble(ParseDouble(Text(node)));
                break;
            case "single":
                writer.WriteSingle(ParseSingle(Text(node)));
                break;
            case "decimal":
                writer.WriteDecimal(ParseDecimal(Text(node)));
                break;
            case "string":
                writer.WriteString(Text(node));
                break;
            case "array":
                writer.WriteStartArray();
                foreach (JsonElement item in node.GetProperty("v").EnumerateArray())
                {
                    Write(ref writer, item);
                }

                writer.WriteEndArray();
                break;
            case "set":
                writer.WriteStartSet();
                foreach (JsonElement item in node.GetProperty("v").EnumerateArray())
                {
                    Write(ref writer, item);
                }

                writer.WriteEndSet();
                break;
            case "object":
                writer.WriteStartObject();
                foreach ((string name, JsonElement member) in Members(node).OrderBy(m => m.Name, CanonicalKeyComparer.Instance))
                {
                    writer.WritePropertyName(name);
                    Write(ref writer, member);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new InvalidDataException($"Unknown vector node type '{type}'.");
        }
    }

    /// <summary>Object members as declared: <c>[name, value]</c> pairs.</summary>
    public static IEnumerable<(string Name, JsonElement Value)> Members(JsonElement objectNode)
        => objectNode.GetProperty("v").EnumerateArray().Select(pair => (pair[0].GetString()!, pair[1]));

    public static string Text(JsonElement node) => node.GetProperty("v").GetString()!;

    /// <summary>Python <c>repr</c> text to double, including Python's <c>nan</c> and <c>inf</c>.</summary>
    public static double ParseDouble(string text) => text switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static float ParseSingle(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static (IReadOnlyList<HashVector>, IReadOnlyList<HashVector>) Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Vectors", "hash-vectors-v1.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement.Clone();
        return (Read(root.GetProperty("vectors")), Read(root.GetProperty("rejected")));

        static List<HashVector> Read(JsonElement array) => array.EnumerateArray()
            .Select(v => new HashVector(
                v.GetProperty("name").GetString()!,
                v.GetProperty("value"),
                v.TryGetProperty("canonical", out JsonElement c) ? c.GetString() : null,
                v.TryGetProperty("hash", out JsonElement h) ? h.GetString() : null,
                v.TryGetProperty("sha256", out JsonElement s) ? s.GetString() : null))
            .ToList();
    }
}
