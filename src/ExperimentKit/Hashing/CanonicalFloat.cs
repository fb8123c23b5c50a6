using System.Globalization;
using System.Numerics;
using System.Text;

namespace ExperimentKit;

/// <summary>
/// The float rule of canonical hash v1 (section 2) and Python-<c>repr</c> formatting (section 3).
/// </summary>
public static class CanonicalFloat
{
    /// <summary>The number of significant decimal digits the float rule keeps.</summary>
    internal const int SignificantDigits = 12;

    /// <summary>Bytes that always hold <see cref="FormatRepr(double, Span{byte})"/>'s output.</summary>
    internal const int MaxReprLength = 32;

    /// <summary>
    /// Applies the float rule: rejects NaN and infinities, rounds to 12 significant decimal digits from the
    /// exact binary value with ties to even, and turns negative zero into zero.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The value canonical hash v1 writes.</returns>
    /// <exception cref="ParameterValueException">The value is NaN or infinite.</exception>
    public static double Round(double value)
    {
        if (!double.IsFinite(value))
        {
            throw NonFinite(value);
        }

        if (value == 0)
        {
            return 0.0; // also turns -0.0 into 0.0
        }

        Span<byte> digits = stackalloc byte[DecimalDigits.MaxDigits];
        ShortestDigits(value, digits, out int count, out int exponent, out bool negative);

        // Shortest round-trip digits that fit in 12 are the value's own 12-digit rounding.
        if (count <= SignificantDigits)
        {
            return value;
        }

        int next = digits[SignificantDigits];
        bool up;
        if (next != 5 || count > SignificantDigits + 1)
        {
            // With 14+ shortest digits no 13-digit tie boundary lies between the value and its shortest
            // text (it would be a shorter round-trip text), so rounding the text rounds the exact value.
            // The same holds with 13 digits when the 13th is not 5: the boundary ...5 is farther away.
            up = next >= 5;
        }
        else
        {
            // The shortest text is exactly a 13-digit tie; the exact binary value decides.
            int cmp = CompareExact(Math.Abs(value), digits[..(SignificantDigits + 1)], exponent);
            up = cmp > 0 || (cmp == 0 && (digits[SignificantDigits - 1] & 1) == 1);
        }

        DecimalDigits.Truncate(digits, ref count, ref exponent, SignificantDigits, up);
        return DecimalDigits.ToDouble(digits, count, exponent, negative);
    }

    /// <summary>A float as canonical hash v1 sees it: shortest round-trip text parsed as double, then <see cref="Round(double)"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value canonical hash v1 writes.</returns>
    /// <exception cref="ParameterValueException">The value is NaN or infinite.</exception>
    public static double FromSingle(float value)
    {
        if (!float.IsFinite(value))
        {
            throw NonFinite(value);
        }

        Span<char> text = stackalloc char[32];
        if (!value.TryFormat(text, out int written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A float did not fit its formatting buffer.");
        }

        return Round(double.Parse(text[..written], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>A decimal as canonical hash v1 sees it: rounded to 12 significant digits (ties to even), parsed as double, then <see cref="Round(double)"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value canonical hash v1 writes.</returns>
    public static double FromDecimal(decimal value)
    {
        // A decimal's default text is its exact value, all digits, never in E notation.
        Span<char> text = stackalloc char[64];
        if (!value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A decimal did not fit its formatting buffer.");
        }

        Span<byte> digits = stackalloc byte[DecimalDigits.MaxDigits];
        DecimalDigits.Parse(text[..written], digits, out int count, out int exponent, out bool negative);
        if (count > SignificantDigits)
        {
            int next = digits[SignificantDigits];
            bool up = next > 5
                || (next == 5 && (count > SignificantDigits + 1 || (digits[SignificantDigits - 1] & 1) == 1));
            DecimalDigits.Truncate(digits, ref count, ref exponent, SignificantDigits, up);
        }

        return Round(DecimalDigits.ToDouble(digits, count, exponent, negative));
    }

    /// <summary>
    /// Formats a finite double as Python's <c>repr</c> does (shortest round-trip digits; positional with at least
    /// one digit after the point for decimal exponents -4..15, else <c>d[.ddd]e±XX</c>), in ASCII.
    /// </summary>
    /// <param name="value">A finite double.</param>
    /// <param name="destination">Receives the ASCII text.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small (32 bytes always suffice), or <paramref name="value"/> is not finite.</exception>
    public static int FormatRepr(double value, Span<byte> destination)
    {
        if (destination.Length >= MaxReprLength)
        {
            return FormatReprCore(value, destination);
        }

        Span<byte> local = stackalloc byte[MaxReprLength];
        int length = FormatReprCore(value, local);
        if (length > destination.Length)
        {
            throw new ArgumentException($"The destination needs {length} bytes; it has {destination.Length}.", nameof(destination));
        }

        local[..length].CopyTo(destination);
        return length;
    }

    /// <summary>Formats a finite double as Python's <c>repr</c> does.</summary>
    /// <param name="value">A finite double.</param>
    /// <returns>For example <c>0.1</c>, <c>1.0</c>, <c>1e-05</c> or <c>1e+16</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not finite.</exception>
    public static string FormatRepr(double value)
    {
        Span<byte> text = stackalloc byte[MaxReprLength];
        int length = FormatReprCore(value, text);
        return Encoding.ASCII.GetString(text[..length]);
    }

    /// <summary>Writes Python's <c>repr</c> into at least <see cref="MaxReprLength"/> bytes.</summary>
    internal static int FormatReprCore(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Only finite numbers have a canonical text; this one is {Describe(value)}.", nameof(value));
        }

        int p = 0;
        if (value == 0)
        {
            if (double.IsNegative(value))
            {
                destination[p++] = (byte)'-';
            }

            "0.0"u8.CopyTo(destination[p..]);
            return p + 3;
        }

        Span<byte> digits = stackalloc byte[DecimalDigits.MaxDigits];
        ShortestDigits(value, digits, out int count, out int exponent, out bool negative);
        return WriteRepr(digits[..count], exponent, negative, destination);
    }

    /// <summary>
    /// The float rule, then Python's <c>repr</c>: writes what <c>FormatReprCore(Round(value))</c> writes, into at
    /// least <see cref="MaxReprLength"/> bytes.
    /// </summary>
    /// <remarks>
    /// A value whose shortest round-trip text has at most 12 significant digits is left unchanged by
    /// <see cref="Round(double)"/>, so its digits are formatted once and laid out directly; only values with more
    /// digits take the rounding path and are formatted again after rounding.
    /// </remarks>
    /// <exception cref="ParameterValueException">The value is NaN or infinite.</exception>
    internal static int FormatCanonicalCore(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw NonFinite(value);
        }

        if (value == 0)
        {
            // Round turns -0.0 into 0.0.
            "0.0"u8.CopyTo(destination);
            return 3;
        }

        Span<byte> digits = stackalloc byte[DecimalDigits.MaxDigits];
        if (TryShortDecimal(Math.Abs(value), digits, out int count, out int exponent))
        {
            return WriteRepr(digits[..count], exponent, value < 0, destination);
        }

        ShortestDigits(value, digits, out count, out exponent, out bool negative);
        if (count <= SignificantDigits)
        {
            return WriteRepr(digits[..count], exponent, negative, destination);
        }

        return FormatReprCore(Round(value), destination);
    }

    /// <summary>
    /// Finds the shortest round-trip digits of a positive double that has a decimal text of at most 12
    /// significant digits with at most 22 decimals (<c>3e-4</c>, <c>0.9</c>, <c>256.0</c>: most hand-written
    /// parameters) without formatting it: about a quarter of the cost of <c>TryFormat("R")</c>.
    /// </summary>
    /// <remarks>
    /// For q = 0, 1, 2 ... the candidate is m = round(x · 10^q). While m &lt; 10^12, x · 10^q is within 2^-12 of
    /// its exact value, so when some 12-digit decimal with q decimals reads back as x, m is that decimal. m and
    /// 10^q are exact doubles and IEEE division rounds once, so <c>m / 10^q == x</c> holds exactly when the text
    /// m·10^-q parses to x. The first q that passes gives the fewest digits: two different decimals of at most
    /// 15 significant digits never parse to one double, so no shorter text exists. A value with more than 12
    /// digits (or below about 10^-10) returns false and takes the formatting path, so the result is the same
    /// as <c>"R"</c> always (a test compares them).
    /// </remarks>
    /// <returns>True with the digits (no trailing zeros) and the decimal exponent of the first digit.</returns>
    internal static bool TryShortDecimal(double positive, Span<byte> digits, out int count, out int exponent)
    {
        for (int q = 0; q < s_exactPowersOfTen.Length; q++)
        {
            double scaled = positive * s_exactPowersOfTen[q];
            if (scaled >= 1e12)
            {
                break;
            }

            if (scaled < 0.5)
            {
                continue;
            }

            double rounded = Math.Round(scaled);
            if (rounded / s_exactPowersOfTen[q] != positive)
            {
                continue;
            }

            ulong mantissa = (ulong)rounded;
            int length = 1;
            while (mantissa >= s_exactIntegerPowersOfTen[length])
            {
                length++;
            }

            exponent = length - 1 - q;
            while (mantissa % 10 == 0)
            {
                mantissa /= 10;
                length--;
            }

            count = length;
            for (int k = length - 1; k >= 0; k--)
            {
                digits[k] = (byte)(mantissa % 10);
                mantissa /= 10;
            }

            return true;
        }

        count = 0;
        exponent = 0;
        return false;
    }

    /// <summary>10^0 to 10^13 as integers, for counting a mantissa's digits.</summary>
    private static readonly ulong[] s_exactIntegerPowersOfTen =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    ];

    /// <summary>Lays out the shortest digits of a non-zero double (<c>d0.d1d2... × 10^exponent</c>) as Python's <c>repr</c>.</summary>
    private static int WriteRepr(ReadOnlySpan<byte> digits, int exponent, bool negative, Span<byte> destination)
    {
        int count = digits.Length;
        int p = 0;
        if (negative)
        {
            destination[p++] = (byte)'-';
        }

        if (exponent is >= -4 and < 16)
        {
            if (exponent < 0)
            {
                // 0.000ddd
                destination[p++] = (byte)'0';
                destination[p++] = (byte)'.';
                for (int z = -1; z > exponent; z--)
                {
                    destination[p++] = (byte)'0';
                }

                for (int k = 0; k < count; k++)
                {
                    destination[p++] = (byte)('0' + digits[k]);
                }
            }
            else
            {
                // ddd.ddd, padding the integer part with zeros and the fraction with one zero when empty
                int integerDigits = exponent + 1;
                for (int k = 0; k < integerDigits; k++)
                {
                    destination[p++] = k < count ? (byte)('0' + digits[k]) : (byte)'0';
                }

                destination[p++] = (byte)'.';
                if (count <= integerDigits)
                {
                    destination[p++] = (byte)'0';
                }
                else
                {
                    for (int k = integerDigits; k < count; k++)
                    {
                        destination[p++] = (byte)('0' + digits[k]);
                    }
                }
            }
        }
        else
        {
            // d[.ddd]e±XX
            destination[p++] = (byte)('0' + digits[0]);
            if (count > 1)
            {
                destination[p++] = (byte)'.';
                for (int k = 1; k < count; k++)
                {
                    destination[p++] = (byte)('0' + digits[k]);
                }
            }

            destination[p++] = (byte)'e';
            destination[p++] = exponent < 0 ? (byte)'-' : (byte)'+';
            int magnitude = Math.Abs(exponent);
            if (magnitude >= 100)
            {
                destination[p++] = (byte)('0' + (magnitude / 100));
            }

            destination[p++] = (byte)('0' + (magnitude / 10 % 10));
            destination[p++] = (byte)('0' + (magnitude % 10));
        }

        return p;
    }

    /// <summary>The error for a NaN or infinite member value.</summary>
    internal static ParameterValueException NonFinite(double value)
        => new(string.Empty, $"is {Describe(value)}; canonical hash v1 accepts only finite numbers. Fix the value or mark the member [NotHashed].");

    private static string Describe(double value)
        => double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";

    /// <summary>The shortest round-trip digits of a finite, non-zero double.</summary>
    private static void ShortestDigits(double value, Span<byte> digits, out int count, out int exponent, out bool negative)
    {
        // .NET Core 3.0 and later format "R" as the shortest text that parses back to the same double.
        Span<char> text = stackalloc char[40];
        if (!value.TryFormat(text, out int written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double did not fit its formatting buffer.");
        }

        DecimalDigits.Parse(text[..written], digits, out count, out exponent, out negative);
    }

    /// <summary>Powers of ten that doubles hold exactly.</summary>
    private static readonly double[] s_exactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Compares the exact binary value of a positive finite double with the decimal
    /// <c>d0.d1d2... × 10^exponent</c> (at most 15 digits). Only exact 13-digit ties need this.
    /// </summary>
    /// <returns>Negative, zero or positive as the double is smaller, equal or greater.</returns>
    internal static int CompareExact(double positive, ReadOnlySpan<byte> digits, int exponent)
    {
        long integer = 0;
        foreach (byte d in digits)
        {
            integer = (integer * 10) + d;
        }

        // The decimal is integer * 10^scale. integer < 2^53 and 10^|scale| (|scale| <= 22) are exact doubles,
        // and a fused multiply-add rounds the exact difference once, which keeps its sign.
        int scale = exponent - (digits.Length - 1);
        if (scale >= 0 && scale < s_exactPowersOfTen.Length)
        {
            return -Math.Sign(Math.FusedMultiplyAdd(integer, s_exactPowersOfTen[scale], -positive));
        }

        if (scale < 0 && -scale < s_exactPowersOfTen.Length)
        {
            return Math.Sign(Math.FusedMultiplyAdd(positive, s_exactPowersOfTen[-scale], -integer));
        }

        return CompareExactBig(positive, integer, scale);
    }

    /// <summary>
    /// <see cref="CompareExact"/> for magnitudes beyond 10^±22: big integers, which allocate; very rare.
    /// </summary>
    private static int CompareExactBig(double positive, long decimalInteger, int decimalExponent)
    {
        long bits = BitConverter.DoubleToInt64Bits(positive);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int binaryExponent = biased == 0 ? -1074 : biased - 1075;

        BigInteger decimalMantissa = decimalInteger;

        // mantissa * 2^binaryExponent  vs  decimalMantissa * 10^decimalExponent, all factors moved to integers.
        BigInteger left = mantissa;
        BigInteger right = decimalMantissa;
        if (binaryExponent >= 0)
        {
            left <<= binaryExponent;
        }
        else
        {
            right <<= -binaryExponent;
        }

        if (decimalExponent >= 0)
        {
            right *= BigInteger.Pow(10, decimalExponent);
        }
        else
        {
            left *= BigInteger.Pow(10, -decimalExponent);
        }

        return left.CompareTo(right);
    }
}
