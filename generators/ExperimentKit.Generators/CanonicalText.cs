using System.Text;

namespace ExperimentKit.Generators;

/// <summary>The compile-time half of canonical hash v1: key order and JSON escaping of member names.</summary>
internal static class CanonicalText
{
    /// <summary>Orders by Unicode code point (a surrogate pair is one code point; a lone surrogate is itself).</summary>
    public static int CompareCodePoints(string x, string y)
    {
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            var a = Next(x, ref i);
            var b = Next(y, ref j);
            if (a != b)
            {
                return a < b ? -1 : 1;
            }
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }

    /// <summary>A JSON string literal with canonical escapes (ASCII only), including the quotes.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        return json.Append('"').ToString();
    }

    private static int Next(string s, ref int index)
    {
        var c = s[index++];
        if (char.IsHighSurrogate(c) && index < s.Length && char.IsLowSurrogate(s[index]))
        {
            return char.ConvertToUtf32(c, s[index++]);
        }

        return c;
    }
}
