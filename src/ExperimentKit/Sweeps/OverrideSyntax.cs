using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>
/// The text syntax of override values: comma-separated lists whose JSON values (<c>[...]</c>, <c>{...}</c>)
/// and <c>"quoted, strings"</c> stay whole, and the generators <c>range</c>, <c>linspace</c> and <c>logspace</c>.
/// </summary>
internal static class OverrideSyntax
{
    /// <summary>The most values one axis may have; beyond it the axis would be a memory hazard, not a sweep.</summary>
    public const int MaxValuesPerAxis = 1_000_000;

    /// <summary>Reads a comma-separated value list into checked raw values.</summary>
    public static List<string> ParseList(string text, OverrideTarget target)
    {
        var values = new List<string>();
        foreach (var item in Split(text, target))
        {
            if (item.Trim().Length == 0)
            {
                throw target.Syntax(text, target.Member.Kind == ParameterKind.String
                    ? "a value is empty; remove the extra comma, or write \"\" for an empty string"
                    : "a value is empty; remove the extra comma");
            }

            AddItem(item, target, values);
        }

        return values;
    }

    /// <summary>
    /// Reads one item (of a list, or a configuration array element): a generator, a quoted string, or the text
    /// whole, commas included. An empty item is an empty string.
    /// </summary>
    public static void AddItem(string item, OverrideTarget target, List<string> values)
    {
        var text = item.Trim();
        if (text.Length > 0 && text[0] == '"')
        {
            Add(values, target, OverrideValues.Canonical(target, Unquote(text, target), null));
        }
        else if (TryGenerator(text, out var name, out var arguments))
        {
            if (target.Member.Kind is not (ParameterKind.Integer or ParameterKind.Float))
            {
                throw target.Syntax(text, $"{name}(...) makes numbers, but '{target.Path}' is {target.TypeName}; put the text in double quotes to use it as it is");
            }

            foreach (var number in Generate(name, arguments, text, target, values.Count))
            {
                Add(values, target, OverrideValues.Canonical(target, number, text));
            }
        }
        else
        {
            Add(values, target, OverrideValues.Canonical(target, text, null));
        }
    }

    /// <summary>Appends a raw value so that <see cref="ParseList"/> reads it back unchanged, quoting it when needed.</summary>
    public static void AppendValue(StringBuilder text, string value)
    {
        if (!NeedsQuotes(value))
        {
            text.Append(value);
            return;
        }

        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }

    /// <summary>Splits at the commas that are outside brackets, parentheses and quotes.</summary>
    private static List<string> Split(string text, OverrideTarget target)
    {
        var items = TrySplit(text, out var problem);
        return items ?? throw target.Syntax(text, problem!);
    }

    private static List<string>? TrySplit(string text, out string? problem)
    {
        var items = new List<string>();
        var closers = new Stack<char>();
        var start = 0;
        var inString = false;
        problem = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '[':
                    closers.Push(']');
                    break;
                case '{':
                    closers.Push('}');
                    break;
                case '(':
                    closers.Push(')');
                    break;
                case ']' or '}' or ')':
                    if (closers.Count == 0 || closers.Pop() != c)
                    {
                        problem = $"the '{c}' at character {i + 1} closes nothing that was opened before it; put a value that contains it in double quotes";
                        return null;
                    }

                    break;
                case ',' when closers.Count == 0:
                    items.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (inString)
        {
            problem = "a double quote is never closed";
            return null;
        }

        if (closers.Count > 0)
        {
            problem = $"a bracket is never closed (expected '{closers.Peek()}'); put a value that contains it in double quotes";
            return null;
        }

        items.Add(text[start..]);
        return items;
    }

    private static string Unquote(string item, OverrideTarget target)
    {
        var bytes = Encoding.UTF8.GetBytes(item);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.BytesConsumed == bytes.Length)
            {
                return reader.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        throw target.Syntax(item, "a quoted value must be one double-quoted string, with \\\" for a quote and \\\\ for a backslash inside it, and nothing after the closing quote");
    }

    private static bool TryGenerator(string item, out string name, out string arguments)
    {
        name = arguments = string.Empty;
        var open = item.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || item[^1] != ')')
        {
            return false;
        }

        name = item[..open].Trim().ToLowerInvariant();
        arguments = item[(open + 1)..^1];
        return name is "range" or "linspace" or "logspace";
    }

    private static void Add(List<string> values, OverrideTarget target, string value)
    {
        if (values.Count >= MaxValuesPerAxis)
        {
            throw target.TooMany();
        }

        values.Add(value);
    }

    // ---- generators ----------------------------------------------------------------------------------------

    /// <summary>
    /// The numbers of <c>range</c>, <c>linspace</c> or <c>logspace</c> as short invariant text (<c>0.5</c>, <c>2</c>,
    /// never <c>2.0</c>), so whole numbers suit integer members. Computed in decimal, so <c>range(0,0.3,0.1)</c>
    /// gives exactly 0, 0.1 and 0.2; in double when the numbers do not fit a decimal.
    /// </summary>
    private static List<string> Generate(string name, string argumentText, string item, OverrideTarget target, int already)
    {
        var arguments = argumentText.Split(',');
        var expected = name == "range" ? "range(start, stop) or range(start, stop, step)" : $"{name}(start, stop, count)";
        if (name == "range" ? arguments.Length is not (2 or 3) : arguments.Length != 3 || argumentText.Trim().Length == 0)
        {
            throw target.Syntax(item, $"write {expected}");
        }

        var decimals = new decimal[arguments.Length];
        var doubles = new double[arguments.Length];
        var exact = true;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = arguments[i].Trim();
            if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out doubles[i]) || !double.IsFinite(doubles[i]))
            {
                throw target.Syntax(item, $"'{argument}' is not a finite number; write {expected}");
            }

            exact &= decimal.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out decimals[i]);
        }

        int count;
        if (name == "range")
        {
            count = RangeCount(decimals, doubles, exact, item, target);
        }
        else
        {
            var n = doubles[2];
            if (!double.IsInteger(n) || n < 1)
            {
                throw target.Syntax(item, $"the count '{arguments[2].Trim()}' must be a whole number of points, at least 1");
            }

            count = n > MaxValuesPerAxis ? int.MaxValue : (int)n;
        }

        if ((long)already + count > MaxValuesPerAxis)
        {
            throw target.TooMany();
        }

        if (exact)
        {
            try
            {
                return name switch
                {
                    "range" => RangeExact(decimals, MaxValuesPerAxis - already + 1),
                    "linspace" => Linspace(decimals[0], decimals[1], count, static d => Trim(d)),
                    _ => Linspace(decimals[0], decimals[1], count, static d => Power(d)),
                };
            }
            catch (OverflowException)
            {
                // Too large for decimal arithmetic: fall back to doubles below.
            }
        }

        return name switch
        {
            "range" => RangeDouble(doubles, MaxValuesPerAxis - already + 1),
            "linspace" => LinspaceDouble(doubles[0], doubles[1], count).ConvertAll(FormatDouble),
            _ => LinspaceDouble(doubles[0], doubles[1], count).ConvertAll(Power),
        };
    }

    /// <summary>About how many values <c>range(start, stop[, step])</c> has (stop is exclusive, as in Python); refuses a zero step and empty ranges.</summary>
    private static int RangeCount(decimal[] decimals, double[] doubles, bool exact, string item, OverrideTarget target)
    {
        var step = doubles.Length == 3 ? doubles[2] : 1d;
        if (step == 0)
        {
            throw target.Syntax(item, "the step is 0, so the range would never reach its stop; use a positive or negative step");
        }

        double estimate;
        if (exact)
        {
            try
            {
                var exactStep = decimals.Length == 3 ? decimals[2] : 1m;
                estimate = (double)decimal.Ceiling((decimals[1] - decimals[0]) / exactStep);
            }
            catch (OverflowException)
            {
                estimate = Math.Ceiling((doubles[1] - doubles[0]) / step);
            }
        }
        else
        {
            estimate = Math.Ceiling((doubles[1] - doubles[0]) / step);
        }

        if (!(estimate > 0))
        {
            throw target.Syntax(item, step > 0
                ? "the range is empty: its stop is exclusive and must be above its start (use a negative step to count down)"
                : "the range is empty: with a negative step its stop must be below its start");
        }

        return estimate > MaxValuesPerAxis ? int.MaxValue : (int)estimate;
    }

    // The count estimated from (stop - start) / step only screens out empty and oversized ranges: the values
    // themselves run until the stop, so a rounded estimate never drops or adds one. At most `limit` are made;
    // one more than an axis may hold is refused by the caller.
    private static List<string> RangeExact(decimal[] a, int limit)
    {
        var (start, stop, step) = (a[0], a[1], a.Length == 3 ? a[2] : 1m);
        var values = new List<string>();
        for (var i = 0; values.Count < limit; i++)
        {
            var value = start + (i * step);
            if (step > 0 ? value >= stop : value <= stop)
            {
                break;
            }

            values.Add(Trim(value));
        }

        return values;
    }

    private static List<string> RangeDouble(double[] a, int limit)
    {
        var (start, stop, step) = (a[0], a[1], a.Length == 3 ? a[2] : 1d);
        var values = new List<string>();
        for (var i = 0; values.Count < limit; i++)
        {
            var value = start + (i * step);
            if (step > 0 ? value >= stop : value <= stop)
            {
                break;
            }

            values.Add(FormatDouble(value));
        }

        return values;
    }

    private static List<string> Linspace(decimal start, decimal stop, int count, Func<decimal, string> format)
    {
        var values = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            // One point is the start, as in numpy; otherwise the last point is the stop exactly.
            var value = i == 0 ? start : i == count - 1 ? stop : start + ((stop - start) * i / (count - 1));
            values.Add(format(value));
        }

        return values;
    }

    private static List<double> LinspaceDouble(double start, double stop, int count)
    {
        var values = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(i == 0 ? start : i == count - 1 ? stop : start + ((stop - start) * i / (count - 1)));
        }

        return values;
    }

    /// <summary>10 to the power <paramref name="exponent"/>, as the nearest double when the exponent is whole.</summary>
    private static string Power(decimal exponent)
        => decimal.IsInteger(exponent) && Math.Abs(exponent) <= 400
            ? FormatDouble(double.Parse("1e" + exponent.ToString("0", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture))
            : Power((double)exponent);

    private static string Power(double exponent)
        => double.IsInteger(exponent) && Math.Abs(exponent) <= 400
            ? FormatDouble(double.Parse("1e" + exponent.ToString("0", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture))
            : FormatDouble(Math.Pow(10, exponent));

    /// <summary>A decimal without trailing zeros after the point (<c>2.500</c> → <c>2.5</c>, <c>4.0</c> → <c>4</c>).</summary>
    private static string Trim(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    /// <summary>A double as short invariant text; whole numbers below 10^15 without exponent, so integers read them.</summary>
    private static string FormatDouble(double value)
        => double.IsInteger(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return true;
        }

        if (value[0] is '[' or '{' && TrySplit(value, out _) is [var whole] && whole.Length == value.Length)
        {
            return false;
        }

        return value.AsSpan().IndexOfAny("\",[]{}()") >= 0;
    }
}
