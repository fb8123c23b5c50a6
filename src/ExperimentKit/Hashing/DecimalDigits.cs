using System.Globalization;

namespace ExperimentKit;

/// <summary>
/// Significant decimal digits of a number and its scientific exponent: the value is
/// <c>d0.d1d2... × 10^Exponent</c>. Read from the text .NET formats (plain or <c>E</c> notation).
/// </summary>
internal static class DecimalDigits
{
    /// <summary>Enough for a double's 17 shortest digits or a decimal's 29 digits.</summary>
    public const int MaxDigits = 40;

    /// <summary>
    /// Parses <c>[-]ddd[.ddd][E[+-]ddd]</c> into digit values (0-9), without leading or trailing zeros.
    /// </summary>
    /// <param name="text">The formatted number.</param>
    /// <param name="digits">Receives the digit values; at least <see cref="MaxDigits"/> long.</param>
    /// <param name="count">The number of significant digits; 0 when the value is zero.</param>
    /// <param name="exponent">The exponent of the first significant digit.</param>
    /// <param name="negative">Whether the text starts with <c>-</c>.</param>
    public static void Parse(ReadOnlySpan<char> text, Span<byte> digits, out int count, out int exponent, out bool negative)
    {
        int i = 0;
        negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }

        count = 0;
        int integerDigits = 0;     // digits before the point, including leading zeros
        int leadingZeros = 0;      // zeros skipped before the first significant digit
        bool seenPoint = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '.')
            {
                seenPoint = true;
                continue;
            }

            if (c is < '0' or > '9')
            {
                break;
            }

            if (!seenPoint)
            {
                integerDigits++;
            }

            if (count == 0 && c == '0')
            {
                leadingZeros++;
                continue;
            }

            if (count == digits.Length)
            {
                throw new FormatException("Too many digits in a formatted number.");
            }

            digits[count++] = (byte)(c - '0');
        }

        int e = 0;
        if (i < text.Length && (text[i] == 'E' || text[i] == 'e'))
        {
            e = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        while (count > 0 && digits[count - 1] == 0)
        {
            count--;
        }

        exponent = count == 0 ? 0 : integerDigits - 1 - leadingZeros + e;
    }

    /// <summary>
    /// Rounds digits to <paramref name="keep"/> significant digits in place, up when <paramref name="roundUp"/>;
    /// a carry out of the first digit adds one to <paramref name="exponent"/>. Trailing zeros are dropped.
    /// </summary>
    public static void Truncate(Span<byte> digits, ref int count, ref int exponent, int keep, bool roundUp)
    {
        if (count <= keep)
        {
            return;
        }

        count = keep;
        if (roundUp)
        {
            int j = keep - 1;
            while (j >= 0 && digits[j] == 9)
            {
                digits[j] = 0;
                j--;
            }

            if (j < 0)
            {
                digits[0] = 1;
                count = 1;
                exponent++;
            }
            else
            {
                digits[j]++;
            }
        }

        while (count > 0 && digits[count - 1] == 0)
        {
            count--;
        }
    }

    /// <summary>Parses digits and an exponent back to the nearest double (correctly rounded).</summary>
    public static double ToDouble(ReadOnlySpan<byte> digits, int count, int exponent, bool negative)
    {
        if (count == 0)
        {
            return 0.0;
        }

        // "[-]ddddE<exponent - (count - 1)>"
        Span<char> text = stackalloc char[MaxDigits + 16];
        int p = 0;
        if (negative)
        {
            text[p++] = '-';
        }

        for (int k = 0; k < count; k++)
        {
            text[p++] = (char)('0' + digits[k]);
        }

        text[p++] = 'E';
        (exponent - (count - 1)).TryFormat(text[p..], out int written, default, CultureInfo.InvariantCulture);
        p += written;
        return double.Parse(text[..p], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
