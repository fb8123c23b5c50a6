using System.Text;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>The exact JSON form of parameters: every member, doubles bit for bit, reflection-free.</summary>
public static class ParameterJson
{
    /// <summary>Serializes parameters exactly (unlike canonical JSON, nothing is rounded or left out).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static string Serialize<T>(T value)
        where T : IParameterGroup<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteExactJson(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads parameters written by <see cref="Serialize{T}"/>.</summary>
    /// <exception cref="JsonException">The JSON is malformed or does not describe <typeparamref name="T"/>; the message names the member.</exception>
    public static T Deserialize<T>(string json)
        where T : IParameterGroup<T>
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize<T>(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads parameters written by <see cref="Serialize{T}"/> from UTF-8 bytes.</summary>
    /// <exception cref="JsonException">The JSON is malformed or does not describe <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json)
        where T : IParameterGroup<T>
    {
        var reader = new Utf8JsonReader(utf8Json);
        ExactJson.Begin(ref reader);
        var value = T.ReadExactJson(ref reader);
        if (reader.Read())
        {
            throw new JsonException("The JSON has more content after the parameter object.");
        }

        return value;
    }
}
