using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ExperimentKit;

/// <summary>
/// Reads a JSON-lines stream written by <see cref="RunContext.Append{T}(string, T, JsonTypeInfo{T})"/>
/// (<c>{stream}.jsonl</c> in a run folder), trimming-safe through a <see cref="JsonTypeInfo{T}"/>.
/// </summary>
public static class JsonLines
{
    /// <summary>Reads every value in file order.</summary>
    /// <typeparam name="T">The type of each line.</typeparam>
    /// <param name="path">The <c>.jsonl</c> file.</param>
    /// <param name="typeInfo">How to read a <typeparamref name="T"/> (from a source-generated <c>JsonSerializerContext</c>).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>One value per line. A torn last line is ignored; blank lines are skipped.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line before the last one is not a <typeparamref name="T"/> (or is
    /// <c>null</c>); the message names the file and the line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static Task<IReadOnlyList<T>> ReadAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonLinesReader.ReadAsync(
            path,
            line => JsonSerializer.Deserialize(line, typeInfo) ?? throw new FormatException("the line is null"),
            cancellationToken);
    }
}
