using System.Globalization;
using static ExperimentKit.Tests.Hashing.WriterHarness;

namespace ExperimentKit.Tests.Hashing;

public class CultureIndependenceTests
{
    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    public void Every_vector_hashes_the_same_under_the_culture(string culture)
    {
        InCulture(culture, () =>
        {
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture)); // the culture is really in effect
            foreach (HashVector vector in HashVectors.Vectors)
            {
                (string canonical, ParamsHash hash) = HashVectors.Compute(vector.Value);
                Assert.True(vector.Canonical == canonical, $"{vector.Name}: {canonical}");
                Assert.Equal(vector.Sha256, hash.ToSha256String());
                Assert.Equal(vector.Hash, hash.ToString());
            }

            foreach (HashVector vector in HashVectors.Rejected)
            {
                Assert.Throws<ParameterValueException>(() => HashVectors.Compute(vector.Value));
            }
        });
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    public void Dates_times_and_numbers_ignore_the_culture(string culture)
    {
        WriterAction write = (ref CanonicalJsonWriter w) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("Iı");
            w.WriteStartArray();
            w.WriteDateTime(new DateTime(2024, 3, 5, 6, 7, 8, DateTimeKind.Utc));
            w.WriteDateTimeOffset(new DateTimeOffset(2024, 3, 5, 6, 7, 8, TimeSpan.FromHours(2)));
            w.WriteDateOnly(new DateOnly(2024, 3, 5));
            w.WriteTimeOnly(new TimeOnly(6, 7, 8, 9));
            w.WriteTimeSpan(new TimeSpan(1, 2, 3, 4, 5));
            w.WriteGuid(new Guid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
            w.WriteDouble(-1234.5);
            w.WriteSingle(0.25f);
            w.WriteDecimal(-0.5m);
            w.WriteInteger(-42L);
            w.WriteEndArray();
            w.WriteEndObject();
        };
        const string expected = "{\"I\\u0131\":[\"2024-03-05T06:07:08.0000000Z\",\"2024-03-05T06:07:08.0000000+02:00\",\"2024-03-05\","
            + "\"06:07:08.0090000\",\"1.02:03:04.0050000\",\"0f8fad5b-d9cb-469f-a165-70867728950e\",-1234.5,0.25,-0.5,-42]}";

        Assert.Equal(expected, Write(write));
        InCulture(culture, () => Assert.Equal(expected, Write(write)));
        Assert.True(CanonicalKeyComparer.Instance.Compare("I", "i") < 0);
        InCulture(culture, () => Assert.True(CanonicalKeyComparer.Instance.Compare("I", "i") < 0));
    }

    private static void InCulture(string name, Action action)
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo uiCulture = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(name);
            CultureInfo.CurrentUICulture = new CultureInfo(name);
            action();
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}
