using System.Globalization;
using System.Numerics;

namespace ExperimentKit.Tests.Hashing;

/// <summary>
/// A slow, obviously correct float rule for cross-checking <see cref="CanonicalFloat.Round"/>: the exact binary
/// value as a fraction of big integers, rounded to 12 significant digits with ties to even, parsed back.
/// </summary>
internal static class ReferenceFloatRule
{
    private static readonly BigInteger s_low = BigInteger.Pow(10, 11);
    private static readonly BigInteger s_high = BigInteger.Pow(10, 12);
    private static readonly BigInteger[] s_powersOfTen = Enumerable.Range(0, 400).Select(k => BigInteger.Pow(10, k)).ToArray();

    public static double Round(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        if (value == 0)
        {
            return 0.0;
        }

        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int biased = (int)(bits >> 52);
        long fraction = bits & ((1L << 52) - 1);
        BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int binaryExponent = biased == 0 ? -1074 : biased - 1075;

        BigInteger numerator = binaryExponent >= 0 ? mantissa << binaryExponent : mantissa;
        BigInteger denominator = binaryExponent >= 0 ? BigInteger.One : BigInteger.One << -binaryExponent;

        // Find k with 10^11 <= |x| / 10^k < 10^12, then round the quotient half to even.
        int k = (int)Math.Floor(Math.Log10(Math.Abs(value))) - 11;
        while (true)
        {
            BigInteger n = k < 0 ? numerator * s_powersOfTen[-k] : numerator;
            BigInteger d = k > 0 ? denominator * s_powersOfTen[k] : denominator;
            BigInteger quotient = BigInteger.DivRem(n, d, out BigInteger remainder);
            if (quotient >= s_high)
            {
                k++;
                continue;
            }

            if (quotient < s_low)
            {
                k--;
                continue;
            }

            int half = (remainder * 2).CompareTo(d);
            if (half > 0 || (half == 0 && !quotient.IsEven))
            {
                quotient++;
            }

            string text = (value < 0 ? "-" : string.Empty) + quotient.ToString(CultureInfo.InvariantCulture)
                + "E" + k.ToString(CultureInfo.InvariantCulture);
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }
}
