using System.Text;

namespace ExperimentKit.Generators;

/// <summary>A small indented text writer for emitted C#.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private int _unique;

    /// <summary>A fresh local name: pattern variables leak into the enclosing scope, so each must differ.</summary>
    public string Unique(string prefix) => prefix + (_unique++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public CodeWriter Open(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
