using CsCheck;

namespace ExperimentKit.Tests.Hashing;

public class CanonicalKeyComparerTests
{
    private static readonly CanonicalKeyComparer Comparer = CanonicalKeyComparer.Instance;

    [Fact]
    public void Code_points_above_ffff_sort_after_the_bmp_unlike_utf16_order()
    {
        Assert.True(Comparer.Compare("\uffff", "😀") < 0);
        Assert.True(Comparer.Compare("😀", "\uffff") > 0);
        Assert.True(string.CompareOrdinal("\uffff", "😀") > 0); // what UTF-16 ordinal order would say
        Assert.True(Comparer.Compare("\ue000", "\U00010000") < 0);
    }

    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("a", "ab", -1)]
    [InlineData("", "a", -1)]
    [InlineData("ab", "ab", 0)]
    [InlineData("B", "a", -1)]
    [InlineData("z", "\u00e9", -1)]
    [InlineData("😀a", "😀b", -1)]
    [InlineData("😀", "😁", -1)]
    [InlineData("😀", "😀x", -1)]
    public void Orders_by_code_point_with_shorter_prefixes_first(string x, string y, int sign)
    {
        Assert.Equal(sign, Math.Sign(Comparer.Compare(x, y)));
        Assert.Equal(-sign, Math.Sign(Comparer.Compare(y, x)));
    }

    [Fact]
    public void A_lone_surrogate_is_its_own_code_point()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates through metadata.
        string high = new(['\ud800']);
        string low = new(['\udfff']);
        string loneHighThenE000 = new(['\ud83d', '\ue000']);
        string loneHighThenX = new(['\ud83d', 'x']);
        string loneHighThenY = new(['\ud83d', 'y']);

        Assert.True(Comparer.Compare(high, "\ue000") < 0);
        Assert.True(Comparer.Compare(high, "😀") < 0);
        Assert.True(Comparer.Compare(low, "\ue000") < 0);
        Assert.True(Comparer.Compare("\ud7ff", high) < 0);
        Assert.True(Comparer.Compare(loneHighThenE000, "😀") < 0);   // U+D83D, U+E000 before U+1F600
        Assert.True(Comparer.Compare("😀", loneHighThenE000) > 0);
        Assert.True(Comparer.Compare(loneHighThenX, loneHighThenY) < 0);
        Assert.True(Comparer.Compare(loneHighThenY, loneHighThenX) > 0);
    }

    [Fact]
    public void Null_sorts_first_like_ordinal_comparison()
    {
        Assert.Equal(0, Comparer.Compare(null, null));
        Assert.True(Comparer.Compare(null, "") < 0);
        Assert.True(Comparer.Compare("", null) > 0);
    }

    [Fact]
    public void Agrees_with_comparing_code_point_sequences()
    {
        // Characters that stress the rule: ASCII, BMP above the surrogates, both halves of pairs (often unpaired).
        var chars = Gen.Char["ab\u00e9\ud7ff\ud83d\ud800\ude00\udfff\ue000\uffff"];
        var text = chars.Array[0, 6].Select(a => new string(a));
        Gen.Select(text, text).Sample((x, y) =>
        {
            int expected = Math.Sign(CompareCodePoints(x, y));
            Assert.Equal(expected, Math.Sign(Comparer.Compare(x, y)));
            Assert.Equal(-expected, Math.Sign(Comparer.Compare(y, x)));
        }, iter: 20_000);
    }

    private static int CompareCodePoints(string x, string y)
    {
        List<int> a = CodePoints(x);
        List<int> b = CodePoints(y);
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static List<int> CodePoints(string s)
    {
        var result = new List<int>();
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else
            {
                result.Add(s[i]);
            }
        }

        return result;
    }
}
