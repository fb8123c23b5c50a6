using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ExperimentKit;

/// <summary>The member an override value is for, and the wording of errors about its values.</summary>
/// <param name="Path">The member's flat path in hash names (<c>Model.Layers</c>).</param>
/// <param name="Member">The member.</param>
internal sealed record OverrideTarget(string Path, ParameterMember Member)
{
    /// <summary>The member's C# type as users wrote it (<c>int</c>, <c>MyApp.Activation</c>).</summary>
    public string TypeName => Member.TypeName;

    /// <summary>A value that does not fit the member.</summary>
    public SweepArgumentException Bad(string text, string? origin, string problem)
        => new($"Bad value for '{Path}' ({TypeName}): \"{text}\"{(origin is null ? string.Empty : $" (from {origin})")} {problem}", Path);

    /// <summary>A value list that cannot be read.</summary>
    public SweepArgumentException Syntax(string text, string problem)
        => new($"Cannot read the values '{text}' for '{Path}' ({TypeName}): {problem}.", Path);

    /// <summary>An axis with too many values.</summary>
    public SweepArgumentException TooMany()
        => new($"'{Path}' ({TypeName}) would get more than {SweepText.Number(OverrideSyntax.MaxValuesPerAxis)} values, "
            + "more than one axis can hold. Sweep fewer values, or split the sweep into several runs.", Path);
}

/// <summary>Checks override values against their member's kind and writes them as the invariant text <c>FromFlat</c> reads.</summary>
internal static class OverrideValues
{
    /// <summary>Whether the member's C# type is nullable (<c>int?</c>, <c>ModelSpec?</c>).</summary>
    public static bool IsNullable(ParameterMember member)
        => member.TypeName.EndsWith('?') || member.TypeName.StartsWith("System.Nullable<", StringComparison.Ordinal);

    /// <summary>The checked raw value for one item of text.</summary>
    /// <param name="target">The member.</param>
    /// <param name="text">The value, quotes already removed.</param>
    /// <param name="origin">The generator the value came from (<c>range(1,5)</c>), for messages, or null.</param>
    /// <exception cref="SweepArgumentException">The value does not fit the member.</exception>
    public static string Canonical(OverrideTarget target, string text, string? origin)
    {
        var member = target.Member;
        return member.Kind switch
        {
            ParameterKind.Boolean => bool.TryParse(text, out var b)
                ? (b ? "true" : "false")
                : throw target.Bad(text, origin, "is not true or false."),
            ParameterKind.Integer => Integer(target, text, origin),
            ParameterKind.Float => Float(target, text, origin),
            ParameterKind.String => String(target, text),
            ParameterKind.Enum => Enum(target, text),
            ParameterKind.Text => Text(target, text),
            ParameterKind.Array or ParameterKind.Set => Json(target, text, JsonValueKind.Array),
            ParameterKind.Dictionary => Json(target, text, JsonValueKind.Object),
            _ => throw OverridePaths.GroupNotSettable(target.Path, member),
        };
    }

    private static string Integer(OverrideTarget target, string text, string? origin)
    {
        if (!BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw target.Bad(text, origin, "is not an integer.");
        }

        if (IntegerRange(BaseType(target.Member)) is var (min, max) && (value < min || value > max))
        {
            throw target.Bad(text, origin, $"is out of range for {BaseType(target.Member)} ({min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}).");
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static string Float(OverrideTarget target, string text, string? origin)
    {
        var type = BaseType(target.Member);
        if (type is "decimal" or "System.Decimal")
        {
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? text.Trim()
                : throw target.Bad(text, origin, "is not a decimal number in range.");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw target.Bad(text, origin, "is not a number (write it with a '.' decimal point, such as 0.001 or 1e-3).");
        }

        var single = type is "float" or "System.Single";
        if (single ? float.IsFinite((float)value) : double.IsFinite(value))
        {
            return text.Trim();
        }

        // "NaN" and "Infinity" are spelled out; a number with digits that is not finite overflowed.
        if (text.Any(char.IsAsciiDigit))
        {
            throw target.Bad(text, origin, $"is out of range for {type}.");
        }

        if (target.Member.IsHashed)
        {
            throw target.Bad(text, origin, "is not finite; NaN and infinities have no canonical hash.");
        }

        return text.Trim();
    }

    private static string String(OverrideTarget target, string text)
    {
        if (BaseType(target.Member) is "char" or "System.Char" && text.Length != 1)
        {
            throw target.Bad(text, null, "is not a single character.");
        }

        return text;
    }

    private static string Enum(OverrideTarget target, string text)
    {
        var names = target.Member.EnumNames ?? [];
        var trimmed = text.Trim();
        foreach (var name in names)
        {
            if (string.Equals(name, trimmed, StringComparison.Ordinal))
            {
                return name;
            }
        }

        var matches = names.Where(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        if (matches.Count > 1)
        {
            throw target.Bad(text, null, $"matches several names that differ only in case ({string.Join(", ", matches)}); write one exactly.");
        }

        if (BigInteger.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            // The enum's underlying type is not in the descriptor: refuse only what no enum can hold.
            return number >= long.MinValue && number <= ulong.MaxValue
                ? number.ToString(CultureInfo.InvariantCulture)
                : throw target.Bad(text, null, "is out of range for any enum.");
        }

        var nearest = FlatPaths.Nearest(trimmed, names);
        throw target.Bad(text, null, $"is not a name of {target.Member.TypeName}{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Allowed: {string.Join(", ", names)} (in any case), or an integer.");
    }

    private static string Text(OverrideTarget target, string text)
    {
        var type = BaseType(target.Member);
        Func<object?, string, object>? parse = type switch
        {
            "System.Guid" => static (v, p) => FlatValue.ToGuid(v, p),
            "System.DateTime" => static (v, p) => FlatValue.ToDateTime(v, p),
            "System.DateTimeOffset" => static (v, p) => FlatValue.ToDateTimeOffset(v, p),
            "System.DateOnly" => static (v, p) => FlatValue.ToDateOnly(v, p),
            "System.TimeOnly" => static (v, p) => FlatValue.ToTimeOnly(v, p),
            "System.TimeSpan" => static (v, p) => FlatValue.ToTimeSpan(v, p),
            _ => null,
        };

        var expected = type switch
        {
            "System.Guid" => "a GUID, such as 0f8fad5b-d9cb-469f-a165-70867728950e",
            "System.DateTime" => "a date and time, such as 2024-05-01T12:00:00Z",
            "System.DateTimeOffset" => "a date and time with offset, such as 2024-05-01T12:00:00+02:00",
            "System.DateOnly" => "a date written yyyy-MM-dd, such as 2024-05-01",
            "System.TimeOnly" => "a time, such as 13:45:00",
            "System.TimeSpan" => "a duration written [d.]hh:mm:ss, such as 01:30:00",
            _ => "a value of this type",
        };

        try
        {
            parse?.Invoke(text, target.Path);
            return text.Trim();
        }
        catch (ParameterValueException)
        {
            throw target.Bad(text, null, $"is not {expected}.");
        }
    }

    private static string Json(OverrideTarget target, string text, JsonValueKind expected)
    {
        var shape = expected == JsonValueKind.Array ? "a JSON array, such as [1,2,3]" : "a JSON object, such as {\"a\":1}";
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != expected)
            {
                throw target.Bad(text, null, $"is not {shape}.");
            }
        }
        catch (JsonException error)
        {
            throw target.Bad(text, null, $"is not valid JSON ({error.Message}); write {shape}.");
        }

        return text.Trim();
    }

    /// <summary>The member's type without <c>?</c> or <c>Nullable&lt;&gt;</c>.</summary>
    private static string BaseType(ParameterMember member)
    {
        var type = member.TypeName;
        if (type.EndsWith('?'))
        {
            return type[..^1];
        }

        const string Nullable = "System.Nullable<";
        return type.StartsWith(Nullable, StringComparison.Ordinal) ? type[Nullable.Length..^1] : type;
    }

    private static (BigInteger Min, BigInteger Max)? IntegerRange(string type) => type switch
    {
        "sbyte" or "System.SByte" => (sbyte.MinValue, sbyte.MaxValue),
        "byte" or "System.Byte" => (byte.MinValue, byte.MaxValue),
        "short" or "System.Int16" => (short.MinValue, short.MaxValue),
        "ushort" or "System.UInt16" => (ushort.MinValue, ushort.MaxValue),
        "int" or "System.Int32" => (int.MinValue, int.MaxValue),
        "uint" or "System.UInt32" => (uint.MinValue, uint.MaxValue),
        "long" or "System.Int64" => (long.MinValue, long.MaxValue),
        "ulong" or "System.UInt64" => (ulong.MinValue, ulong.MaxValue),
        "nint" or "System.IntPtr" => (nint.MinValue, nint.MaxValue),
        "nuint" or "System.UIntPtr" => (nuint.MinValue, nuint.MaxValue),
        "System.Int128" => (Int128.MinValue, Int128.MaxValue),
        "System.UInt128" => (UInt128.MinValue, UInt128.MaxValue),
        _ => null,
    };
}
