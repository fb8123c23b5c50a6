namespace ExperimentKit;

/// <summary>Resolves override paths (<c>model.layers</c>) to flat hash-name paths (<c>Model.Layers</c>) and members.</summary>
internal static class OverridePaths
{
    /// <summary>Resolves a dotted path of C# or hash names, in any case, through parameter groups.</summary>
    /// <exception cref="SweepArgumentException">The path names no settable leaf member; the message suggests the nearest name and lists the valid paths.</exception>
    public static OverrideTarget Resolve(ParametersDescriptor descriptor, string path)
    {
        var text = path.Trim();
        var segments = text.Split('.');
        var current = descriptor;
        var resolved = new List<string>(segments.Length);
        ParameterMember? member = null;
        for (var i = 0; i < segments.Length; i++)
        {
            if (member is not null)
            {
                if (member.Group is not { } group)
                {
                    throw new SweepArgumentException(
                        $"'{text}' names no member of {Label(descriptor)}: '{string.Join('.', resolved)}' is {member.TypeName}, not a parameter group, "
                        + $"so it has no '{segments[i]}'. Valid paths: {string.Join(", ", LeafPaths(descriptor))}.",
                        text);
                }

                current = group;
            }

            var segment = segments[i].Trim();
            var found = segment.Length == 0 ? null : current.FindMember(segment);
            if (found is null)
            {
                throw Unknown(descriptor, current, text, resolved, segment);
            }

            if (!found.IsSettable)
            {
                throw new SweepArgumentException(
                    $"'{text}' ({found.TypeName}) is computed (it has no setter or constructor parameter), so it cannot be swept. "
                    + $"Valid paths: {string.Join(", ", LeafPaths(descriptor))}.",
                    text);
            }

            resolved.Add(found.HashName);
            member = found;
        }

        var target = new OverrideTarget(string.Join('.', resolved), member!);
        if (member!.Kind == ParameterKind.Group)
        {
            throw GroupNotSettable(target.Path, member);
        }

        return target;
    }

    /// <summary>The error for an override of a whole parameter group.</summary>
    public static SweepArgumentException GroupNotSettable(string path, ParameterMember member)
    {
        var fields = member.Group is { } group ? LeafPaths(group) : [];
        var example = fields.Count > 0 ? $"{path}.{fields[0]}=a,b" : $"{path}.Field=a,b";
        return new SweepArgumentException(
            $"'{path}' is a parameter group ({member.TypeName}) and cannot be set as a whole from an override; "
            + $"set its fields one by one instead, such as {example}. Its fields: {string.Join(", ", fields.Select(f => path + "." + f))}.",
            path);
    }

    /// <summary>Every settable leaf path, in C# names and declaration order, groups expanded.</summary>
    public static List<string> LeafPaths(ParametersDescriptor descriptor)
    {
        var paths = new List<string>();
        AddLeaves(descriptor, string.Empty, csharp: true, paths);
        return paths;
    }

    /// <summary>Every settable leaf path in hash names, mapped to its position in declaration order.</summary>
    public static Dictionary<string, int> DeclarationOrder(ParametersDescriptor descriptor)
    {
        var paths = new List<string>();
        AddLeaves(descriptor, string.Empty, csharp: false, paths);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < paths.Count; i++)
        {
            order.TryAdd(paths[i], i);
        }

        return order;
    }

    /// <summary>A short name for the experiment in messages: <c>'train' (TrainParams)</c>.</summary>
    public static string Label(ParametersDescriptor descriptor)
    {
        var type = descriptor.TypeName[(descriptor.TypeName.LastIndexOf('.') + 1)..];
        return descriptor.ExperimentName is { } name ? $"'{name}' ({type})" : type;
    }

    private static void AddLeaves(ParametersDescriptor descriptor, string prefix, bool csharp, List<string> paths)
    {
        foreach (var member in descriptor.Members)
        {
            if (!member.IsSettable)
            {
                continue;
            }

            var path = prefix + (csharp ? member.Name : member.HashName);
            if (member is { Kind: ParameterKind.Group, Group: { } group })
            {
                AddLeaves(group, path + ".", csharp, paths);
            }
            else
            {
                paths.Add(path);
            }
        }
    }

    private static SweepArgumentException Unknown(ParametersDescriptor root, ParametersDescriptor level, string path, List<string> resolved, string segment)
    {
        var prefix = resolved.Count == 0 ? string.Empty : string.Join('.', resolved) + ".";
        var candidates = level.Members.Where(static m => m.IsSettable).SelectMany(static m => m.Name == m.HashName ? new[] { m.Name } : new[] { m.Name, m.HashName });
        var nearest = segment.Length == 0 ? null : FlatPaths.Nearest(segment, candidates);
        string? suggestion = nearest is null ? null : prefix + nearest;
        if (suggestion is null && segment.Length > 0)
        {
            // "Layers" for "Model.Layers": the name exists, deeper down.
            suggestion = LeafPaths(root).FirstOrDefault(p => p.EndsWith("." + segment, StringComparison.OrdinalIgnoreCase));
        }

        var where = resolved.Count == 0 ? Label(root) : $"'{string.Join('.', resolved)}' ({level.TypeName[(level.TypeName.LastIndexOf('.') + 1)..]})";
        var what = segment.Length == 0 ? "has an empty name between dots" : $"names no member of {where}";
        return new SweepArgumentException(
            $"Unknown member path '{path}': it {what}."
            + (suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")
            + $" Valid paths: {string.Join(", ", LeafPaths(root))}.",
            path);
    }
}
