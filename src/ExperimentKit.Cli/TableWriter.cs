namespace ExperimentKit.Cli;

/// <summary>
/// A plain-text table that fits a width: columns are shrunk, widest first, down to a minimum (cells are cut
/// with '…'); if that is not enough, trailing columns are left out and a note says how many. Colour is applied
/// after fitting, so escape codes never count toward the width.
/// </summary>
internal sealed class TableWriter(IReadOnlyList<string> headers)
{
    private const int MinWidth = 6;
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];
    private readonly List<Func<string, string>?[]> _styles = [];

    /// <summary>Columns that are never shrunk (uid, status): the first ones a reader scans.</summary>
    public HashSet<int> Fixed { get; } = [];

    /// <summary>Columns aligned to the right (numbers).</summary>
    public HashSet<int> RightAligned { get; } = [];

    public int Count => _rows.Count;

    public void Add(IReadOnlyList<string> cells, IReadOnlyList<Func<string, string>?>? styles = null)
    {
        var row = new string[headers.Count];
        var style = new Func<string, string>?[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            row[i] = i < cells.Count ? Clean(cells[i]) : string.Empty;
            style[i] = styles is not null && i < styles.Count ? styles[i] : null;
        }

        _rows.Add(row);
        _styles.Add(style);
    }

    public void Write(TextWriter output, int? width, Ansi ansi)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var shown = widths.Length;
        if (width is { } limit)
        {
            while (Total(widths, shown) > limit)
            {
                var widest = -1;
                for (var i = 0; i < shown; i++)
                {
                    if (!Fixed.Contains(i) && widths[i] > MinWidth && (widest < 0 || widths[i] > widths[widest]))
                    {
                        widest = i;
                    }
                }

                if (widest >= 0)
                {
                    widths[widest]--;
                }
                else if (shown > 1)
                {
                    shown--;
                }
                else
                {
                    break;
                }
            }
        }

        output.WriteLine(ansi.Bold(Line(headers.ToArray(), widths, shown, null).TrimEnd()));
        for (var r = 0; r < _rows.Count; r++)
        {
            output.WriteLine(Line(_rows[r], widths, shown, _styles[r]).TrimEnd());
        }

        if (shown < widths.Length)
        {
            output.WriteLine(ansi.Dim($"({widths.Length - shown} more column(s) did not fit: {string.Join(", ", headers.Skip(shown))}; widen the terminal, or use --json)"));
        }
    }

    private static int Total(int[] widths, int shown) => widths.Take(shown).Sum() + (Gap.Length * Math.Max(0, shown - 1));

    private string Line(string[] cells, int[] widths, int shown, Func<string, string>?[]? styles)
    {
        var parts = new string[shown];
        for (var i = 0; i < shown; i++)
        {
            var text = Cut(cells[i], widths[i]);
            var padded = RightAligned.Contains(i) ? text.PadLeft(widths[i]) : text.PadRight(widths[i]);
            parts[i] = styles?[i] is { } style && text.Length > 0 ? padded.Replace(text, style(text), StringComparison.Ordinal) : padded;
        }

        return string.Join(Gap, parts);
    }

    internal static string Cut(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, Math.Max(0, width - 1)), "…");

    // A newline or tab in a note or an error would break the grid.
    private static string Clean(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
