using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// Reads a run's <c>metrics.jsonl</c> (written by <see cref="RunContext.Log(long, string, double)"/>) without
/// the host or the store. The file is plain JSON lines: <c>pd.read_json(path, lines=True)</c> loads it too.
/// </summary>
public static class MetricsLog
{
    /// <summary>The file name of the metrics log in a run folder.</summary>
    public const string FileName = "metrics.jsonl";

    /// <summary>Reads every metrics line in file order.</summary>
    /// <param name="metricsPath">The <c>metrics.jsonl</c> file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>One point per line. A torn last line (a crash in the middle of a write, or a line being
    /// written right now) is ignored; blank lines are skipped.</returns>
    /// <exception cref="ArgumentException"><paramref name="metricsPath"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist (a run that never logged has none).</exception>
    /// <exception cref="InvalidDataException">A line before the last one is not a metrics record; the message
    /// names the file and the line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static Task<IReadOnlyList<MetricPoint>> ReadAsync(string metricsPath, CancellationToken cancellationToken = default)
        => JsonLinesReader.ReadAsync(metricsPath, Parse, cancellationToken);

    /// <summary>Parses one metrics line: an object with an integer <c>step</c>, a <c>time</c> and numbers.</summary>
    /// <exception cref="JsonException">The line is not JSON.</exception>
    /// <exception cref="FormatException">The line is JSON but not a metrics record.</exception>
    internal static MetricPoint Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("a metrics line is a JSON object");
        }

        long? step = null;
        DateTimeOffset? time = null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (name == MetricJson.StepKey)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long s))
                {
                    throw new FormatException("\"step\" is not an integer");
                }

                step = s;
            }
            else if (name == MetricJson.TimeKey)
            {
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var t))
                {
                    throw new FormatException("\"time\" is not an ISO 8601 time");
                }

                time = t;
            }
            else
            {
                values[name] = MetricJson.ReadNumber(ref reader, name);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new FormatException("a metrics line is a flat JSON object");
        }

        if (reader.Read())
        {
            throw new FormatException("text follows the JSON object");
        }

        if (step is null)
        {
            throw new FormatException("no \"step\"");
        }

        if (time is null)
        {
            throw new FormatException("no \"time\"");
        }

        return new MetricPoint(step.Value, time.Value, values);
    }
}
