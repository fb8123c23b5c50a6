using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// The JSON text of a row's maps and tags: string maps and tag lists as plain JSON, number maps with
/// non-finite values as the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>. Keys are written in ordinal
/// order, empty maps as null (no bytes in the row). Reflection-free (the library is AOT compatible).
/// </summary>
/// <remarks>Not thread-safe: one instance per ledger, used under its lock.</remarks>
internal sealed class LedgerJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Stored text, never embedded in HTML: keep non-ASCII readable and the rows small.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly IReadOnlyDictionary<string, string> NoStrings = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, double> NoNumbers = new Dictionary<string, double>();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly List<string> _keys = [];

    public LedgerJson() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>A string map as a JSON object, or null when empty.</summary>
    public string? StringMap(IReadOnlyDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return null;
        }

        Start();
        _writer.WriteStartObject();
        foreach (var key in SortedKeys(map.Keys))
        {
            ArgumentNullException.ThrowIfNull(key);
            _writer.WriteString(key, map[key] ?? throw new ArgumentException($"The value of '{key}' is null; ledger maps hold text values only."));
        }

        _writer.WriteEndObject();
        return Finish();
    }

    /// <summary>A number map as a JSON object, or null when empty.</summary>
    public string? NumberMap(IReadOnlyDictionary<string, double>? map)
    {
        if (map is null || map.Count == 0)
        {
            return null;
        }

        Start();
        _writer.WriteStartObject();
        foreach (var key in SortedKeys(map.Keys))
        {
            ArgumentNullException.ThrowIfNull(key);
            _writer.WritePropertyName(key);
            ExactJson.WriteDouble(_writer, map[key]);
        }

        _writer.WriteEndObject();
        return Finish();
    }

    /// <summary>Tags as a JSON array, sorted (ordinal) and distinct, or null when there are none.</summary>
    public string? Tags(IEnumerable<string> tags)
    {
        _keys.Clear();
        foreach (var tag in tags)
        {
            _keys.Add(tag);
        }

        if (_keys.Count == 0)
        {
            return null;
        }

        _keys.Sort(StringComparer.Ordinal);
        Start();
        _writer.WriteStartArray();
        string? previous = null;
        foreach (var tag in _keys)
        {
            if (!string.Equals(tag, previous, StringComparison.Ordinal))
            {
                _writer.WriteStringValue(tag);
                previous = tag;
            }
        }

        _writer.WriteEndArray();
        _keys.Clear();
        return Finish();
    }

    /// <summary>Reads a string map written by <see cref="StringMap"/> (null is empty).</summary>
    public static IReadOnlyDictionary<string, string> ReadStringMap(string? json)
    {
        if (json is null)
        {
            return NoStrings;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = Reader(json, out var rented);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                Next(ref reader);
                result[key] = reader.GetString() ?? string.Empty;
            }
        }
        finally
        {
            Return(rented);
        }

        return result;
    }

    /// <summary>Reads a number map written by <see cref="NumberMap"/> (null is empty).</summary>
    public static IReadOnlyDictionary<string, double> ReadNumberMap(string? json)
    {
        if (json is null)
        {
            return NoNumbers;
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var reader = Reader(json, out var rented);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                result[key] = Next(ref reader) switch
                {
                    JsonTokenType.Number => reader.GetDouble(),
                    JsonTokenType.String => reader.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        var other => double.Parse(other!, NumberStyles.Float, CultureInfo.InvariantCulture),
                    },
                    var token => throw new JsonException($"A summary value is {token}, not a number."),
                };
            }
        }
        finally
        {
            Return(rented);
        }

        return result;
    }

    /// <summary>Reads tags written by <see cref="Tags"/> (null is none).</summary>
    public static IReadOnlyList<string> ReadTags(string? json)
    {
        if (json is null)
        {
            return [];
        }

        var result = new List<string>();
        var reader = Reader(json, out var rented);
        try
        {
            Expect(ref reader, JsonTokenType.StartArray);
            while (Next(ref reader) == JsonTokenType.String)
            {
                result.Add(reader.GetString()!);
            }
        }
        finally
        {
            Return(rented);
        }

        return result;
    }

    /// <summary>A list of strings as a JSON array, in order (a queued sweep's assignments).</summary>
    public static string StringList(IReadOnlyList<string> items)
    {
        var json = new LedgerJson();
        json.BeginArray();
        foreach (var item in items)
        {
            json.AddToArray(item);
        }

        return json.EndArray();
    }

    /// <summary>Reads a JSON array of strings written by <see cref="StringList"/>.</summary>
    public static List<string> ReadStringList(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(static e => e.GetString() ?? string.Empty)];
    }

    /// <summary>Starts a JSON array of strings (a list parameter for <c>json_each</c>): add with <see cref="AddToArray"/>, end with <see cref="EndArray"/>.</summary>
    public void BeginArray()
    {
        Start();
        _writer.WriteStartArray();
    }

    /// <summary>Adds a string to the array begun by <see cref="BeginArray"/>.</summary>
    public void AddToArray(string value) => _writer.WriteStringValue(value);

    /// <summary>Ends the array and returns its JSON text.</summary>
    public string EndArray()
    {
        _writer.WriteEndArray();
        return Finish();
    }

    private void Start()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
    }

    private string Finish()
    {
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private List<string> SortedKeys(IEnumerable<string> keys)
    {
        _keys.Clear();
        _keys.AddRange(keys);
        _keys.Sort(StringComparer.Ordinal);
        return _keys;
    }

    private static Utf8JsonReader Reader(string json, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        var length = Encoding.UTF8.GetBytes(json, rented);
        return new Utf8JsonReader(rented.AsSpan(0, length));
    }

    private static void Return(byte[] rented) => ArrayPool<byte>.Shared.Return(rented);

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends early.");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }
}
