using System.Text;

namespace ExperimentKit;

/// <summary>One axis of a <see cref="SweepOverrides"/>: a member path and the values to sweep it over.</summary>
/// <param name="Path">
/// The flat path of the member in hash names, as <c>ToFlat()</c> writes it (<c>Model.Layers</c>), whatever
/// spelling and case the override used.
/// </param>
/// <param name="RawValues">
/// The values in order, each checked against the member's type and written as the invariant text that
/// <c>FromFlat</c> reads: generators such as <c>range(...)</c> expanded, quotes removed, enum names in their
/// declared spelling, booleans as <c>true</c>/<c>false</c>, collections as JSON text. Duplicates are kept.
/// </param>
public sealed record SweepOverrideAxis(string Path, IReadOnlyList<string> RawValues)
{
    /// <summary>The axis as a command-line override, <c>Path=value,value</c>, quoting values that need it.</summary>
    /// <returns>A token that <see cref="SweepOverrides.Parse"/> reads back to the same axis.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Path).Append('=');
        for (var i = 0; i < RawValues.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            OverrideSyntax.AppendValue(text, RawValues[i]);
        }

        return text.ToString();
    }
}
