namespace ExperimentKit.Cli;

/// <summary>RFC 4180 CSV: a field with a comma, quote, line break or edge space is quoted, quotes doubled.</summary>
internal static class Csv
{
    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Field));

    public static string Field(string value)
        => value.Length > 0 && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
