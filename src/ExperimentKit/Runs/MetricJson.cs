using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// How run files spell numbers: finite doubles as JSON numbers (shortest round-trip form), and the three
/// values JSON has no number for as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>
/// (what Python's <c>float()</c> and pandas accept).
/// </summary>
internal static class MetricJson
{
    /// <summary>Writer options of every run file: no HTML escaping (these are files, not web pages).</summary>
    internal static readonly JsonWriterOptions CompactOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>The indented variant, for <c>params.json</c> and <c>run.json</c>.</summary>
    internal static readonly JsonWriterOptions IndentedOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
        SkipValidation = false,
    };

    /// <summary>The reserved keys of a metrics line.</summary>
    internal const string StepKey = "step";

    /// <summary>The reserved keys of a metrics line.</summary>
    internal const string TimeKey = "time";

    internal static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, NonFiniteText(value));
        }
    }

    internal static string NonFiniteText(double value)
        => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    /// <summary>Reads a number, or one of the three non-finite strings.</summary>
    /// <exception cref="FormatException">The token is neither.</exception>
    internal static double ReadNumber(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.String:
                if (reader.ValueTextEquals("NaN"u8))
                {
                    return double.NaN;
                }

                if (reader.ValueTextEquals("Infinity"u8))
                {
                    return double.PositiveInfinity;
                }

                if (reader.ValueTextEquals("-Infinity"u8))
                {
                    return double.NegativeInfinity;
                }

                break;
        }

        throw new FormatException($"the value of \"{name}\" is {reader.TokenType}, not a number or \"NaN\", \"Infinity\", \"-Infinity\"");
    }

    /// <summary>UTC, millisecond precision, <c>Z</c>: <c>2026-11-23T10:52:02.123Z</c>.</summary>
    internal static string FormatTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
