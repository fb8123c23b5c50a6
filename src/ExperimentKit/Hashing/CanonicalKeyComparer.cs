namespace ExperimentKit;

/// <summary>
/// Orders object keys by Unicode code point, as canonical hash v1 and Python's <c>sort_keys</c> do (not by
/// UTF-16 code unit: <c>"\uffff"</c> sorts before <c>"😀"</c>). A lone surrogate counts as its own code point.
/// </summary>
public sealed class CanonicalKeyComparer : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static CanonicalKeyComparer Instance { get; } = new();

    private CanonicalKeyComparer()
    {
    }

    /// <inheritdoc />
    /// <remarks>A null string sorts before every other string, as with <see cref="string.CompareOrdinal(string, string)"/>.</remarks>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return Compare(x.AsSpan(), y.AsSpan());
    }

    /// <summary>Compares two UTF-16 texts by Unicode code point; a shorter prefix sorts first.</summary>
    /// <param name="x">The first text.</param>
    /// <param name="y">The second text.</param>
    /// <returns>Negative, zero or positive as <paramref name="x"/> sorts before, with or after <paramref name="y"/>.</returns>
    public static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        int i = x.CommonPrefixLength(y);
        if (i == x.Length || i == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        // The first difference may be the low half of a pair whose high half both texts share: then compare
        // from that shared high half, so a pair counts as one code point above U+FFFF.
        if (i > 0 && char.IsHighSurrogate(x[i - 1]) && (char.IsLowSurrogate(x[i]) || char.IsLowSurrogate(y[i])))
        {
            i--;
        }

        return CodePointAt(x, i).CompareTo(CodePointAt(y, i));
    }

    private static int CodePointAt(ReadOnlySpan<char> text, int index)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        return c;
    }
}
