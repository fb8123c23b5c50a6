using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// Converts flat field values back to member types (called by generated <c>FromFlat</c>). A value may be of
/// the member's own type, a number of another type that fits, a <see cref="JsonElement"/> (as read back from
/// a ledger), or invariant text.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FlatValue
{
    /// <summary>The error for a flat field that is missing and has no default.</summary>
    public static ParameterValueException Missing(string path)
        => new(path, "is missing from the flat fields and has no default; add it.");

    /// <summary>Whether a flat value is null (a CLR null or a JSON null).</summary>
    public static bool IsNull(object? value) => value is null or JsonElement { ValueKind: JsonValueKind.Null };

    /// <summary>Reads a boolean.</summary>
    public static bool ToBoolean(object? value, string path) => value switch
    {
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        string s when bool.TryParse(s, out var b) => b,
        _ => throw Wrong(path, value, "true or false"),
    };

    /// <summary>Reads an integer of type <typeparamref name="T"/>, checking its range.</summary>
    public static T ToInteger<T>(object? value, string path)
        where T : IBinaryInteger<T>
    {
        try
        {
            switch (value)
            {
                case T t: return t;
                case long l: return T.CreateChecked(l);
                case int i: return T.CreateChecked(i);
                case short s: return T.CreateChecked(s);
                case sbyte sb: return T.CreateChecked(sb);
                case ulong ul: return T.CreateChecked(ul);
                case uint ui: return T.CreateChecked(ui);
                case ushort us: return T.CreateChecked(us);
                case byte b: return T.CreateChecked(b);
                case double d when double.IsInteger(d): return T.CreateChecked(d);
                case decimal m when decimal.IsInteger(m): return T.CreateChecked(m);
                case JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var l): return T.CreateChecked(l);
                case JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetUInt64(out var ul): return T.CreateChecked(ul);
                case string s when T.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): return parsed;
            }
        }
        catch (OverflowException)
        {
            throw Wrong(path, value, $"an integer that fits {typeof(T).Name}");
        }

        throw Wrong(path, value, $"an integer ({typeof(T).Name})");
    }

    /// <summary>Reads a double.</summary>
    public static double ToDouble(object? value, string path) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        long or int or short or sbyte or ulong or uint or ushort or byte => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e when TryParseDouble(e.GetString(), out var d) => d,
        string s when TryParseDouble(s, out var d) => d,
        _ => throw Wrong(path, value, "a number (double)"),
    };

    /// <summary>Reads a float.</summary>
    public static float ToSingle(object? value, string path) => value switch
    {
        float f => f,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetSingle(),
        _ => (float)ToDouble(value, path),
    };

    /// <summary>Reads a decimal.</summary>
    public static decimal ToDecimal(object? value, string path) => value switch
    {
        decimal m => m,
        long or int or short or sbyte or ulong or uint or ushort or byte => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        double d => (decimal)d,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDecimal(),
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => m,
        _ => throw Wrong(path, value, "a number (decimal)"),
    };

    /// <summary>Reads a string (or null).</summary>
    public static string? ToText(object? value, string path) => value switch
    {
        null => null,
        string s => s,
        char c => c.ToString(),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => throw Wrong(path, value, "a string"),
    };

    /// <summary>Reads a char.</summary>
    public static char ToChar(object? value, string path) => value switch
    {
        char c => c,
        _ => ToText(value, path) is { Length: 1 } s ? s[0] : throw Wrong(path, value, "a one-character string"),
    };

    /// <summary>Reads a <see cref="Guid"/>.</summary>
    public static Guid ToGuid(object? value, string path) => value switch
    {
        Guid g => g,
        _ => Guid.TryParse(ToText(value, path), CultureInfo.InvariantCulture, out var g) ? g : throw Wrong(path, value, "a GUID"),
    };

    /// <summary>Reads a <see cref="DateTime"/> (round-trip format).</summary>
    public static DateTime ToDateTime(object? value, string path) => value switch
    {
        DateTime d => d,
        _ => DateTime.TryParse(ToText(value, path), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d : throw Wrong(path, value, "a date and time (ISO 8601)"),
    };

    /// <summary>Reads a <see cref="DateTimeOffset"/> (round-trip format).</summary>
    public static DateTimeOffset ToDateTimeOffset(object? value, string path) => value switch
    {
        DateTimeOffset d => d,
        _ => DateTimeOffset.TryParse(ToText(value, path), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d : throw Wrong(path, value, "a date and time with offset (ISO 8601)"),
    };

    /// <summary>Reads a <see cref="DateOnly"/> (<c>yyyy-MM-dd</c>).</summary>
    public static DateOnly ToDateOnly(object? value, string path) => value switch
    {
        DateOnly d => d,
        _ => DateOnly.TryParseExact(ToText(value, path), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Wrong(path, value, "a date (yyyy-MM-dd)"),
    };

    /// <summary>Reads a <see cref="TimeOnly"/>.</summary>
    public static TimeOnly ToTimeOnly(object? value, string path) => value switch
    {
        TimeOnly t => t,
        _ => TimeOnly.TryParse(ToText(value, path), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : throw Wrong(path, value, "a time (HH:mm:ss.fffffff)"),
    };

    /// <summary>Reads a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ToTimeSpan(object? value, string path) => value switch
    {
        TimeSpan t => t,
        _ => TimeSpan.TryParse(ToText(value, path), CultureInfo.InvariantCulture, out var t) ? t : throw Wrong(path, value, "a duration (d.hh:mm:ss)"),
    };

    /// <summary>The error for a flat value of the wrong kind.</summary>
    public static ParameterValueException Wrong(string path, object? value, string expected)
        => new(path, $"has the value {Show(value)}, which is not {expected}.");

    private static bool TryParseDouble(string? s, out double d)
    {
        switch (s)
        {
            case "NaN": d = double.NaN; return true;
            case "Infinity": d = double.PositiveInfinity; return true;
            case "-Infinity": d = double.NegativeInfinity; return true;
            default: return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d);
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        JsonElement e => e.GetRawText(),
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => value.GetType().Name,
    };
}
