using System.Text.Json;

namespace ExperimentKit;

/// <summary>Flat field paths resolved against a descriptor: queries, differences, flattening stored JSON.</summary>
internal static class FlatPaths
{
    /// <summary>Turns user <c>where</c> pairs into ledger query pairs: hash-name paths → exact JSON text.</summary>
    public static Dictionary<string, string> ToQuery(ParametersDescriptor descriptor, IReadOnlyDictionary<string, object?> where)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, value) in where)
        {
            var resolved = Resolve(descriptor, path, out _);
            query[resolved] = FlatJson.ToJsonText(value);
        }

        return query;
    }

    /// <summary>Resolves a path of C# or hash names to hash names.</summary>
    /// <exception cref="ArgumentException">A segment names no member; the message suggests the nearest name.</exception>
    public static string Resolve(ParametersDescriptor descriptor, string path, out ParameterMember member)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var segments = path.Split('.');
        var current = descriptor;
        var resolved = new List<string>(segments.Length);
        member = null!;
        for (var i = 0; i < segments.Length; i++)
        {
            if (current is null)
            {
                throw new ArgumentException($"'{string.Join('.', segments[..i])}' is not a parameter group, so '{path}' names nothing.", nameof(path));
            }

            var found = current.FindMember(segments[i]);
            if (found is null)
            {
                var names = current.Members.Select(static m => m.HashName).ToList();
                var nearest = Nearest(segments[i], names);
                throw new ArgumentException(
                    $"'{path}' names no member of {current.TypeName}{(nearest is null ? string.Empty : $"; did you mean '{string.Join('.', resolved.Append(nearest))}'?")} Members: {string.Join(", ", names)}.",
                    nameof(path));
            }

            resolved.Add(found.HashName);
            member = found;
            current = found.Group!;
        }

        return string.Join('.', resolved);
    }

    /// <summary>Whether every member along a flat path is hashed (unknown paths count as hashed).</summary>
    public static bool IsHashed(ParametersDescriptor descriptor, string path)
    {
        var current = descriptor;
        foreach (var segment in path.Split('.'))
        {
            var member = current?.Members.FirstOrDefault(m => m.HashName == segment);
            if (member is null)
            {
                return true;
            }

            if (!member.IsHashed)
            {
                return false;
            }

            current = member.Group!;
        }

        return true;
    }

    /// <summary>The fields whose exact JSON differs, in path order.</summary>
    public static List<FieldDifference> Differences(ParametersDescriptor descriptor, IReadOnlyDictionary<string, object?> left, IReadOnlyDictionary<string, object?> right)
    {
        var differences = new List<FieldDifference>();
        foreach (var path in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var a = left.TryGetValue(path, out var x) ? FlatJson.ToJsonText(x) : null;
            var b = right.TryGetValue(path, out var y) ? FlatJson.ToJsonText(y) : null;
            if (!string.Equals(a, b, StringComparison.Ordinal) && !SameNumber(a, b))
            {
                differences.Add(new FieldDifference(path, a, b, IsHashed(descriptor, path)));
            }
        }

        return differences;
    }

    /// <summary>Flattens stored exact params JSON along the descriptor's groups (no user types needed).</summary>
    public static Dictionary<string, object?> FromParamsJson(ParametersDescriptor descriptor, string paramsJson)
    {
        var flat = new Dictionary<string, object?>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(paramsJson);
        Flatten(descriptor, document.RootElement, string.Empty, flat);
        return flat;
    }

    private static void Flatten(ParametersDescriptor? descriptor, JsonElement element, string prefix, Dictionary<string, object?> flat)
    {
        foreach (var property in element.EnumerateObject())
        {
            var member = descriptor?.Members.FirstOrDefault(m => m.HashName == property.Name);
            var path = prefix + property.Name;
            if (member is { Kind: ParameterKind.Group, Group: { } group } && property.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(group, property.Value, path + ".", flat);
            }
            else
            {
                flat[path] = property.Value.Clone();
            }
        }
    }

    // 4 and 4.0, or 1e-3 and 0.001, are the same value in different spellings.
    private static bool SameNumber(string? a, string? b)
        => a is not null && b is not null
           && double.TryParse(a, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
           && double.TryParse(b, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y)
           && x.Equals(y);

    internal static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
    }

    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
