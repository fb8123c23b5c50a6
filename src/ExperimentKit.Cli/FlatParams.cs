using System.Globalization;
using System.Text.Json;

namespace ExperimentKit.Cli;

/// <summary>One leaf of a run's parameters: its flat path, its exact JSON text and whether it is hashed.</summary>
internal sealed record FlatField(string Path, string Json, JsonValueKind Kind, bool IsHashed)
{
    /// <summary>The value as people read it: strings without quotes, numbers and literals as written.</summary>
    public string Display => Kind == JsonValueKind.String ? JsonSerializer.Deserialize<string>(Json) ?? string.Empty : Json;
}

/// <summary>
/// Flat parameters read from a ledger row alone, without the experiment's assembly: the exact params JSON is
/// flattened along its objects (the same paths <c>where</c> queries use: <c>Model.Layers</c>), and a path that
/// is also in the canonical JSON is hashed (a <c>[NotHashed]</c> member is left out of the canonical JSON).
/// </summary>
internal static class FlatParams
{
    public static IReadOnlyDictionary<string, FlatField> Of(RunRow row)
    {
        var hashed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var canonical = JsonDocument.Parse(row.CanonicalJson);
            Walk(canonical.RootElement, string.Empty, (path, _) => hashed.Add(path));
        }
        catch (JsonException)
        {
            // A row's canonical JSON is always valid; if not, every field counts as hashed.
        }

        var fields = new SortedDictionary<string, FlatField>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(row.ParamsJson);
        Walk(document.RootElement, string.Empty, (path, value) =>
            fields[path] = new FlatField(path, value.GetRawText(), value.ValueKind, hashed.Count == 0 || hashed.Contains(path)));
        return fields;
    }

    /// <summary>Whether two JSON values are the same value: numbers compare as numbers (<c>1e-3</c> = <c>0.001</c>).</summary>
    public static bool SameValue(string? a, string? b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        return a is not null && b is not null
            && double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            && x.Equals(y);
    }

    /// <summary>
    /// The JSON text of a value typed on the command line: JSON as is (<c>4</c>, <c>true</c>, <c>"x"</c>),
    /// anything else as a string (<c>mnist</c> → <c>"mnist"</c>, enum names included).
    /// </summary>
    public static string ParseValue(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                return document.RootElement.GetRawText();
            }
            catch (JsonException)
            {
            }
        }

        return JsonSerializer.Serialize(text);
    }

    private static void Walk(JsonElement element, string prefix, Action<string, JsonElement> leaf)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any())
            {
                Walk(property.Value, path + ".", leaf);
            }
            else
            {
                leaf(path, property.Value);
            }
        }
    }
}
