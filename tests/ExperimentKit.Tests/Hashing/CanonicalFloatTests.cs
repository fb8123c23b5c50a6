using System.Globalization;
using CsCheck;

namespace ExperimentKit.Tests.Hashing;

public class CanonicalFloatTests
{
    [Theory]
    // exact 13-digit ties in integers: half to even
    [InlineData(1234567890125.0, 1234567890120.0)]
    [InlineData(1234567890135.0, 1234567890140.0)]
    [InlineData(-1234567890125.0, -1234567890120.0)]
    [InlineData(-1234567890135.0, -1234567890140.0)]
    [InlineData(9999999999985.0, 9999999999980.0)]
    // exact ties with binary fractions (x.25, x.75, 2^-10)
    [InlineData(12345678901.25, 12345678901.2)]
    [InlineData(12345678901.75, 12345678901.8)]
    [InlineData(100.0009765625, 100.000976562)]
    [InlineData(100.0029296875, 100.002929688)]
    // a tie whose 12th digit is odd, carrying into a new digit
    [InlineData(9999999999995.0, 10000000000000.0)]
    public void Exact_ties_round_to_even(double value, double expected)
    {
        Assert.Equal(expected, CanonicalFloat.Round(value));
        Assert.Equal(expected, ReferenceFloatRule.Round(value));
    }

    [Fact]
    public void Neighbours_of_a_tie_round_away_from_it()
    {
        double tie = 1234567890125.0;
        double above = Math.BitIncrement(tie);
        double below = Math.BitDecrement(tie);

        Assert.Equal(1234567890130.0, CanonicalFloat.Round(above));
        Assert.Equal(1234567890120.0, CanonicalFloat.Round(below));
    }

    [Fact]
    public void A_decimal_tie_text_that_is_not_exact_in_binary_rounds_by_the_exact_value()
    {
        // 0.1234567890125 is stored as 0.12345678901249999..., below the tie: down, not half-even up.
        double below = 0.1234567890125;
        Assert.Equal(0.123456789012, CanonicalFloat.Round(below));
        Assert.Equal(ReferenceFloatRule.Round(below), CanonicalFloat.Round(below));

        // 0.1234567890135 is stored as 0.12345678901350000..., so the exact value decides both ways.
        foreach (string text in new[] { "0.1234567890135", "0.1234567890115", "2.345678901235", "7.000000000005", "1.000000000005e-300", "4.999999999995e+300" })
        {
            double x = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.Equal(ReferenceFloatRule.Round(x), CanonicalFloat.Round(x));
        }
    }

    [Fact]
    public void IEEE_noise_disappears()
    {
        Assert.Equal(0.3, CanonicalFloat.Round(0.1 + 0.2));
        Assert.NotEqual(0.3, 0.1 + 0.2);
        Assert.Equal(1.1, CanonicalFloat.Round(1.1 * 1.0000000000000002));
        Assert.Equal(0.7, CanonicalFloat.Round(0.1 * 7));
    }

    [Theory]
    [InlineData(1e-13, 1e-13)]
    [InlineData(1.2345678901234e-13, 1.23456789012e-13)]
    [InlineData(3.14159265358979, 3.14159265359)]
    [InlineData(0.6666666666666666, 0.666666666667)]
    [InlineData(-1234567.891011121, -1234567.89101)]
    [InlineData(123456789.12345679, 123456789.123)]
    [InlineData(0.1, 0.1)]
    [InlineData(1e22, 1e22)]
    public void Rounds_to_twelve_significant_digits(double value, double expected)
        => Assert.Equal(expected, CanonicalFloat.Round(value));

    [Fact]
    public void Negative_zero_becomes_zero()
    {
        double result = CanonicalFloat.Round(-0.0);

        Assert.Equal(0.0, result);
        Assert.False(double.IsNegative(result));
        Assert.False(double.IsNegative(CanonicalFloat.FromSingle(-0.0f)));
        Assert.False(double.IsNegative(CanonicalFloat.FromDecimal(new decimal(0, 0, 0, isNegative: true, scale: 3))));
    }

    [Theory]
    [InlineData(double.Epsilon, double.Epsilon)]                                       // 5e-324
    [InlineData(-double.Epsilon, -double.Epsilon)]
    [InlineData(2.2250738585072014e-308, 2.22507385851e-308)]                          // smallest normal
    [InlineData(2.2250738585072009e-308, 2.22507385851e-308)]                          // largest subnormal
    [InlineData(1.2345678901234567e-310, 1.23456789012e-310)]
    [InlineData(double.MaxValue, 1.79769313486e+308)]
    [InlineData(double.MinValue, -1.79769313486e+308)]
    public void Subnormals_and_extremes(double value, double expected)
    {
        Assert.Equal(expected, CanonicalFloat.Round(value));
        Assert.Equal(expected, ReferenceFloatRule.Round(value));
    }

    [Theory]
    [InlineData(double.NaN, "is NaN;")]
    [InlineData(double.PositiveInfinity, "is +Infinity;")]
    [InlineData(double.NegativeInfinity, "is -Infinity;")]
    public void Non_finite_values_are_rejected_with_a_fix(double value, string start)
    {
        var error = Assert.Throws<ParameterValueException>(() => CanonicalFloat.Round(value));

        Assert.StartsWith(start, error.Problem, StringComparison.Ordinal);
        Assert.Contains("[NotHashed]", error.Problem, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.MemberPath);
        Assert.Equal("Model.Dropout", error.AtMember("Dropout").AtMember("Model").MemberPath);
    }

    [Fact]
    public void Random_doubles_match_the_exact_reference()
    {
        // Random bit patterns cover every exponent, including subnormals; two families hit the 13-digit tie
        // path: decimal texts ending in 5 (mostly not exact in binary) and exact integer ties; short decimals
        // of up to 7 digits are what parameters usually hold.
        var random = new Random(20240611);
        int checkedCount = 0;
        for (int i = 0; i < 300_000; i++)
        {
            double x = (i % 4) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                3 => double.Parse(
                    $"{(random.Next(2) == 0 ? "-" : "")}{random.NextInt64(1, 10_000_000)}E{random.Next(-14, 8)}",
                    CultureInfo.InvariantCulture),
                1 => double.Parse(
                    $"{random.NextInt64(100_000_000_000, 1_000_000_000_000)}5E{random.Next(-330, 300)}",
                    CultureInfo.InvariantCulture),
                _ => (random.NextInt64(100_000_000_000, 1_000_000_000_000) * 10) + 5,
            };
            if (!double.IsFinite(x))
            {
                continue;
            }

            double expected = ReferenceFloatRule.Round(x);
            double actual = CanonicalFloat.Round(x);
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
            {
                Assert.Fail($"Round({x:R}) gave {actual:R}; the exact rule gives {expected:R}.");
            }

            checkedCount++;
        }

        Assert.True(checkedCount > 250_000);
    }

    [Fact]
    public void Short_decimal_digits_found_without_formatting_equal_the_shortest_round_trip_digits()
    {
        // TryShortDecimal must find exactly the digits "R" gives whenever those have at most 12 digits, and must
        // refuse every other value (which then takes the formatting path). Families: hand-written-looking values
        // of 1 to 12 digits near 1, the same one ulp away (17 digits: refused), 13-digit texts, random bits.
        var random = new Random(7301);
        int found = 0;
        Span<byte> fast = stackalloc byte[DecimalDigits.MaxDigits];
        Span<byte> expected = stackalloc byte[DecimalDigits.MaxDigits];
        for (int i = 0; i < 300_000; i++)
        {
            int digitsWanted = random.Next(1, 14);
            long mantissa = random.NextInt64((long)Math.Pow(10, digitsWanted - 1), (long)Math.Pow(10, digitsWanted));
            double x = (i % 4) switch
            {
                0 or 1 => double.Parse($"{mantissa}E{random.Next(-24, 14)}", CultureInfo.InvariantCulture),
                2 => Math.BitIncrement(double.Parse($"{mantissa}E{random.Next(-12, 12)}", CultureInfo.InvariantCulture)),
                _ => Math.Abs(BitConverter.Int64BitsToDouble(random.NextInt64())),
            };
            if (!double.IsFinite(x) || x == 0)
            {
                continue;
            }

            string shortest = x.ToString("E16", CultureInfo.InvariantCulture);
            string r = x.ToString("R", CultureInfo.InvariantCulture);
            DecimalDigits.Parse(r, expected, out int expectedCount, out int expectedExponent, out _);
            bool ok = CanonicalFloat.TryShortDecimal(x, fast, out int count, out int exponent);
            if (ok)
            {
                found++;
                Assert.True(
                    count == expectedCount && exponent == expectedExponent && fast[..count].SequenceEqual(expected[..expectedCount]),
                    $"{r}: found digits {string.Concat(fast[..count].ToArray())} e{exponent}, \"R\" has {string.Concat(expected[..expectedCount].ToArray())} e{expectedExponent} ({shortest}).");
            }
            else if (expectedCount <= 12 && expectedExponent is >= -10 and < 12)
            {
                Assert.Fail($"{r} has {expectedCount} shortest digits at exponent {expectedExponent} but was refused.");
            }
        }

        Assert.True(found > 100_000, $"only {found} values took the short path");
    }

    [Fact]
    public void Writer_formats_a_double_as_the_repr_of_its_rounding()
    {
        // WriteDouble rounds and formats in one pass; it must write exactly FormatRepr(Round(x)). Families: random
        // bit patterns (mostly 17 digits, every exponent), short decimals of 1 to 12 digits (the one-format path),
        // and 13-digit texts, on both sides of the positional/exponent boundaries and into subnormals.
        var random = new Random(20240612);
        for (int i = 0; i < 200_000; i++)
        {
            double x = (i % 4) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                3 => double.Parse(
                    $"{(random.Next(2) == 0 ? "-" : "")}{random.NextInt64(1, 10_000_000)}E{random.Next(-14, 8)}",
                    CultureInfo.InvariantCulture),
                1 => double.Parse(
                    $"{(random.Next(2) == 0 ? "-" : "")}{random.NextInt64(1, 1_000_000_000_000)}E{random.Next(-330, 300)}",
                    CultureInfo.InvariantCulture),
                _ => double.Parse(
                    $"{random.NextInt64(1_000_000_000_000, 10_000_000_000_000)}E{random.Next(-30, 10)}",
                    CultureInfo.InvariantCulture),
            };
            if (!double.IsFinite(x))
            {
                continue;
            }

            string expected = CanonicalFloat.FormatRepr(CanonicalFloat.Round(x));
            string actual = WrittenDouble(x);
            if (actual != expected)
            {
                Assert.Fail($"WriteDouble({x:R}) wrote {actual}; FormatRepr(Round(x)) is {expected}.");
            }
        }

        foreach (double special in new[] { 0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1e16, 1e15, 1e-4, 1e-5 })
        {
            Assert.Equal(CanonicalFloat.FormatRepr(CanonicalFloat.Round(special)), WrittenDouble(special));
        }
    }

    private static string WrittenDouble(double value)
    {
        var writer = new CanonicalJsonWriter(stackalloc byte[64]);
        try
        {
            writer.WriteDouble(value);
            return System.Text.Encoding.ASCII.GetString(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Fact]
    public void Rounding_is_idempotent_and_keeps_the_sign()
    {
        Gen.Double.Where(double.IsFinite).Sample(x =>
        {
            double once = CanonicalFloat.Round(x);
            Assert.Equal(once, CanonicalFloat.Round(once));
            Assert.Equal(x > 0, once > 0);
            Assert.Equal(x < 0, once < 0);
            Assert.True(Math.Abs(once - x) <= (Math.Abs(x) * 5.001e-12) + double.Epsilon);
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(0.1f, 0.1)]
    [InlineData(16777217f, 16777216.0)]
    [InlineData(float.MaxValue, 3.4028235e+38)]
    [InlineData(float.Epsilon, 1e-45)]
    [InlineData(1.1f, 1.1)]
    [InlineData(-2.5e-7f, -2.5e-7)]
    [InlineData(0.33333334f, 0.33333334)]
    public void Singles_go_through_their_shortest_text(float value, double expected)
        => Assert.Equal(expected, CanonicalFloat.FromSingle(value));

    [Fact]
    public void Singles_that_overflow_or_are_not_numbers_are_rejected()
    {
        float overflow = float.Parse("1e39", CultureInfo.InvariantCulture);

        Assert.True(float.IsPositiveInfinity(overflow));
        Assert.Throws<ParameterValueException>(() => CanonicalFloat.FromSingle(overflow));
        Assert.Throws<ParameterValueException>(() => CanonicalFloat.FromSingle(float.NaN));
        Assert.Throws<ParameterValueException>(() => CanonicalFloat.FromSingle(float.NegativeInfinity));
    }

    [Theory]
    [InlineData("1.50", 1.5)]
    [InlineData("0.1000000000000000000001", 0.1)]
    [InlineData("79228162514264337593543950335", 7.92281625143e+28)]
    [InlineData("-79228162514264337593543950335", -7.92281625143e+28)]
    [InlineData("1.234567890125", 1.23456789012)]              // tie, 12th digit even: down
    [InlineData("1.234567890135", 1.23456789014)]              // tie, 12th digit odd: up
    [InlineData("1.2345678901250000000000001", 1.23456789013)] // above the tie: up
    [InlineData("-1.234567890135", -1.23456789014)]
    [InlineData("999999999999.5", 1000000000000.0)]            // carry into a new digit
    [InlineData("0.0000000000000000000000000001", 1e-28)]
    [InlineData("0", 0.0)]
    [InlineData("123", 123.0)]
    public void Decimals_round_exactly_to_twelve_digits(string text, double expected)
        => Assert.Equal(expected, CanonicalFloat.FromDecimal(decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1.5e-07, "1.5e-07")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(123456789012345.6, "123456789012345.6")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345e16, "1.2345e+16")]
    [InlineData(1e100, "1e+100")]
    [InlineData(-1.5e-100, "-1.5e-100")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(-1.7976931348623157e308, "-1.7976931348623157e+308")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(1e22, "1e+22")]
    [InlineData(2.5e-5, "2.5e-05")]
    public void FormatRepr_lays_out_digits_as_python_repr(double value, string expected)
    {
        Assert.Equal(expected, CanonicalFloat.FormatRepr(value));

        Span<byte> exact = stackalloc byte[expected.Length];
        Assert.Equal(expected.Length, CanonicalFloat.FormatRepr(value, exact));
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(exact));
    }

    [Fact]
    public void FormatRepr_rejects_a_short_destination_and_non_finite_values()
    {
        Assert.Throws<ArgumentException>(() => CanonicalFloat.FormatRepr(0.125, new byte[4]));
        Assert.Throws<ArgumentException>(() => CanonicalFloat.FormatRepr(double.NaN));
        Assert.Throws<ArgumentException>(() => CanonicalFloat.FormatRepr(double.PositiveInfinity, new byte[32]));
    }

    [Fact]
    public void FormatRepr_round_trips_and_fits_32_bytes()
    {
        Gen.Double.Where(double.IsFinite).Sample(x =>
        {
            Span<byte> text = stackalloc byte[32];
            int length = CanonicalFloat.FormatRepr(x, text);
            string repr = System.Text.Encoding.ASCII.GetString(text[..length]);
            Assert.Equal(x, double.Parse(repr, NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.Equal(repr, CanonicalFloat.FormatRepr(x));
        }, iter: 20_000);
    }
}
