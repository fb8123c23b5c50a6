using System.Collections.ObjectModel;
using System.Globalization;

namespace ExperimentKit;

/// <summary>
/// Sweep axes given as text, from the command line (<c>LearningRate=1e-3,1e-2 Model.Layers=2,4</c>) or from a
/// configuration section, checked against a parameter type's <see cref="ParametersDescriptor"/> when they are
/// read, and turned into a lazy <see cref="Sweep{T}"/> by <see cref="Apply{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// A path is a member's C# name or hash name, in any case, with a dot for each parameter group
/// (<c>Model.Layers</c>). Values are separated by commas; <c>[...]</c> and <c>{...}</c> JSON values and
/// <c>"double-quoted strings"</c> stay whole. <c>range(start, stop[, step])</c> (stop excluded),
/// <c>linspace(start, stop, count)</c> and <c>logspace(start, stop, count)</c> (powers of ten) expand to numbers.
/// </para>
/// <para>
/// Every value is checked against its member's type here, so a typo fails before any run starts, with a
/// <see cref="SweepArgumentException"/> that names the member, its C# type and the bad text.
/// </para>
/// </remarks>
public sealed class SweepOverrides
{
    private readonly SweepOverrideAxis[] _axes;

    private SweepOverrides(ParametersDescriptor descriptor, SweepOverrideAxis[] axes, long count)
    {
        Descriptor = descriptor;
        _axes = axes;
        Axes = Array.AsReadOnly(axes);
        Count = count;
    }

    /// <summary>The parameter type the overrides were read for.</summary>
    public ParametersDescriptor Descriptor { get; }

    /// <summary>
    /// The axes: in the order given for <see cref="Parse"/>, in the members' declaration order for
    /// <see cref="FromConfiguration"/>. The last axis varies fastest in <see cref="Apply{T}"/>.
    /// </summary>
    public IReadOnlyList<SweepOverrideAxis> Axes { get; }

    /// <summary>The number of combinations of the axes' values: the product of their value counts (1 with no axes).</summary>
    public long Count { get; }

    /// <summary>Reads command-line overrides such as <c>LearningRate=1e-3,1e-2</c> and <c>Epochs=range(10,50,10)</c>.</summary>
    /// <param name="descriptor">The parameter type's descriptor (<c>T.Descriptor</c>).</param>
    /// <param name="assignments">
    /// One <c>Path=values</c> token each, as the shell split them. The path ends at the first <c>=</c>; the
    /// values are a comma-separated list. Each path may appear once.
    /// </param>
    /// <returns>The overrides, one axis per token, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> or <paramref name="assignments"/> is null.</exception>
    /// <exception cref="SweepArgumentException">
    /// A token has no <c>=</c> or no values, a path names no settable member (the message suggests the nearest
    /// name and lists the valid paths) or a whole parameter group, a value does not fit its member's type, a
    /// value list cannot be read, a path is given twice, or an axis would have more than 1,000,000 values.
    /// </exception>
    public static SweepOverrides Parse(ParametersDescriptor descriptor, IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(assignments);
        var builder = new Builder(descriptor);
        foreach (var token in assignments)
        {
            if (token is null)
            {
                throw new SweepArgumentException("An override is null; write each as Path=value[,value...].");
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new SweepArgumentException(
                    $"'{token}' is not an override: write Path=value[,value...], such as {Example(descriptor)}.");
            }

            var pathText = token[..equals].Trim();
            if (pathText.Length == 0)
            {
                throw new SweepArgumentException(
                    $"'{token}' has no member path before '=': write Path=value[,value...], such as {Example(descriptor)}.");
            }

            var target = OverridePaths.Resolve(descriptor, pathText);
            var valueText = token[(equals + 1)..];
            if (string.IsNullOrWhiteSpace(valueText))
            {
                throw new SweepArgumentException(
                    $"'{token}' gives no values for '{target.Path}' ({target.TypeName}): write at least one value after '=', "
                    + $"such as {target.Path}=a,b{(target.Member.Kind == ParameterKind.String ? ", or \"\" for an empty string" : string.Empty)}.",
                    target.Path);
            }

            builder.Add(target, OverrideSyntax.ParseList(valueText, target), $"'{token}'");
        }

        return builder.Build(declarationOrder: false);
    }

    /// <summary>Reads overrides from the flattened pairs of a configuration section, such as <c>ExperimentKit:Sweeps:train</c>.</summary>
    /// <param name="descriptor">The parameter type's descriptor (<c>T.Descriptor</c>).</param>
    /// <param name="pairs">
    /// <para>
    /// The section's keys relative to it and their values, as <c>section.AsEnumerable(makePathsRelative: true)</c>
    /// gives them. A key is a member path (<c>Model.Layers</c>, or nested as <c>Model:Layers</c>); its value is a
    /// value list with the command-line syntax (<c>"2,4"</c>, <c>"range(10,50,10)"</c>).
    /// </para>
    /// <para>
    /// A JSON array in the configuration arrives as <c>Model.Layers:0</c>, <c>Model.Layers:1</c>, ...; each
    /// element is one value, taken whole (commas included), or a generator such as <c>range(1,5)</c>. Elements
    /// come in index order. A collection member's values are JSON text, one string per value
    /// (<c>"Hidden": ["[64,64]", "[128]"]</c>); nested arrays are not read. Keys whose value is null are
    /// sections and are skipped, unless nothing is under them (an empty array), which is an error.
    /// </para>
    /// </param>
    /// <returns>The overrides, one axis per member, in the members' declaration order (configuration has no reliable order).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> or <paramref name="pairs"/> is null.</exception>
    /// <exception cref="SweepArgumentException">As for <see cref="Parse"/>, naming the configuration key; also for nested arrays and empty arrays.</exception>
    public static SweepOverrides FromConfiguration(ParametersDescriptor descriptor, IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs.ToList();
        var scalars = new List<(string Key, string Path, string Value)>();
        var arrays = new Dictionary<string, List<(long Index, string Key, string Value)>>(StringComparer.OrdinalIgnoreCase);
        var arrayOrder = new List<string>();
        foreach (var (key, value) in list)
        {
            if (string.IsNullOrEmpty(key))
            {
                if (value is null)
                {
                    continue;
                }

                throw new SweepArgumentException($"A configuration value \"{value}\" has no key; each key must be a member path such as {Example(descriptor)}.");
            }

            var segments = key.Split(':');
            if (value is null)
            {
                var prefix = key + ":";
                if (!list.Exists(p => p.Key is not null && p.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                {
                    var empty = OverridePaths.Resolve(descriptor, string.Join('.', segments.Where(static s => !IsIndex(s))));
                    throw new SweepArgumentException(
                        $"Configuration key '{key}' gives no values for '{empty.Path}' ({empty.TypeName}) (an empty array or object); "
                        + "give at least one value, or remove the key.",
                        empty.Path);
                }

                continue;
            }

            long? index = null;
            if (segments.Length > 1 && IsIndex(segments[^1]))
            {
                index = long.Parse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture);
                segments = segments[..^1];
            }

            if (Array.Exists(segments, IsIndex))
            {
                var at = string.Join('.', segments.TakeWhile(static s => !IsIndex(s)));
                throw new SweepArgumentException(
                    $"Configuration key '{key}' is inside a nested array or an array of objects, which overrides do not read. "
                    + $"Write each value of '{at}' as one string: \"{at}\": [\"[64,64]\", \"[128]\"] for collections, or \"{at}\": \"1,2\".",
                    at);
            }

            var path = string.Join('.', segments);
            if (index is null)
            {
                scalars.Add((key, path, value));
            }
            else
            {
                if (!arrays.TryGetValue(path, out var elements))
                {
                    arrays[path] = elements = [];
                    arrayOrder.Add(path);
                }

                elements.Add((index.Value, key, value));
            }
        }

        var builder = new Builder(descriptor);
        foreach (var (key, path, value) in scalars)
        {
            var target = OverridePaths.Resolve(descriptor, path);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new SweepArgumentException(
                    $"Configuration key '{key}' gives no values for '{target.Path}' ({target.TypeName}): write at least one value, "
                    + $"such as \"a,b\"{(target.Member.Kind == ParameterKind.String ? ", or [\"\"] for an empty string" : string.Empty)}.",
                    target.Path);
            }

            builder.Add(target, OverrideSyntax.ParseList(value, target), $"configuration key '{key}'");
        }

        foreach (var path in arrayOrder)
        {
            var target = OverridePaths.Resolve(descriptor, path);
            var elements = arrays[path];
            elements.Sort(static (a, b) => a.Index.CompareTo(b.Index));
            var values = new List<string>(elements.Count);
            foreach (var element in elements)
            {
                OverrideSyntax.AddItem(element.Value, target, values);
            }

            builder.Add(target, values, $"configuration key '{elements[0].Key}'");
        }

        return builder.Build(declarationOrder: true);
    }

    /// <summary>Turns the overrides into a lazy sweep of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The experiment's parameter type; its descriptor must be the one the overrides were read for.</typeparam>
    /// <param name="baseSweep">
    /// <para>
    /// <see langword="null"/>: the grid of the axes (the last axis varies fastest). Members without an axis take
    /// their defaults; every settable member without a default needs an axis.
    /// </para>
    /// <para>
    /// A sweep: for each of its points in order, the grid of the axes applied on top of the point's
    /// <c>ToFlat()</c> fields (an axis replaces its one flat field, so <c>Model.Layers</c> leaves the rest of
    /// <c>Model</c> as the point has it), each rebuilt with <c>FromFlat</c>. The result has
    /// <c>baseSweep.Count × </c><see cref="Count"/> points. Where the base sweep already varies an overridden
    /// member, its points that differ only there become equal: the result then holds duplicates, which the
    /// worker runs once (the ledger skips a parameter set that is already complete). With no axes, the base
    /// sweep itself is returned.
    /// </para>
    /// </param>
    /// <returns>
    /// A lazy sweep that holds only the axes (and the base sweep): points are built as they are enumerated or
    /// indexed. It is indexable when <paramref name="baseSweep"/> is (or is null); then <see cref="Sweep{T}.Count"/>
    /// is O(1) and <see cref="Sweep{T}.ElementAt"/> builds one point.
    /// </returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the type the overrides were read for.</exception>
    /// <exception cref="SweepArgumentException">
    /// <paramref name="baseSweep"/> is null and settable members without a default have no axis; the message
    /// lists them all.
    /// </exception>
    /// <exception cref="OverflowException">The result would have more than <see cref="long.MaxValue"/> points.</exception>
    /// <remarks>
    /// Building a point can still throw <see cref="ParameterValueException"/> when the combination is refused by
    /// <c>FromFlat</c>, such as an element of a JSON collection of the wrong type, or an override inside a group
    /// that the base point has as null when the group's other members have no default.
    /// </remarks>
    public Sweep<T> Apply<T>(Sweep<T>? baseSweep = null)
        where T : IExperimentParameters<T>
    {
        var descriptor = T.Descriptor;
        if (!ReferenceEquals(descriptor, Descriptor) && descriptor.TypeName != Descriptor.TypeName)
        {
            throw new ArgumentException(
                $"These overrides were read for {Descriptor.TypeName}, not {descriptor.TypeName}; read them with {descriptor.TypeName}.Descriptor.",
                nameof(T));
        }

        var paths = Array.ConvertAll(_axes, static a => a.Path);
        var values = Array.ConvertAll(_axes, static a => a.RawValues);
        if (baseSweep is not null)
        {
            return _axes.Length == 0 ? baseSweep : OverrideSweep<T>.Create(baseSweep, paths, values, Count);
        }

        var fixedFields = new Dictionary<string, object?>(StringComparer.Ordinal);
        var missing = new List<string>();
        CollectUnset(Descriptor, string.Empty, string.Empty, new HashSet<string>(paths, StringComparer.Ordinal), fixedFields, missing);
        if (missing.Count > 0)
        {
            throw new SweepArgumentException(
                $"The sweep of {OverridePaths.Label(Descriptor)} has no values for {(missing.Count == 1 ? "a member" : "members")} without a default: "
                + $"{string.Join(", ", missing)}. Give each one, such as {string.Join(" ", missing.Select(static m => m + "=..."))}, "
                + "or apply the overrides to a base sweep that sets them.",
                missing[0]);
        }

        var sizes = Array.ConvertAll(values, static v => v.Count);
        return Sweep<T>.Grid(sizes, indices =>
        {
            var fields = new Dictionary<string, object?>(fixedFields, StringComparer.Ordinal);
            for (var axis = 0; axis < paths.Length; axis++)
            {
                fields[paths[axis]] = values[axis][indices[axis]];
            }

            return T.FromFlat(fields, string.Empty);
        });
    }

    /// <summary>The overrides as command-line tokens separated by spaces, such as <c>LearningRate=0.001,0.01 Model.Layers=2,4</c>.</summary>
    /// <returns>The axes' <see cref="SweepOverrideAxis.ToString"/>, in order.</returns>
    public override string ToString() => string.Join(' ', _axes.Select(static a => a.ToString()));

    /// <summary>Finds the settable members without a default that no axis covers, and the null defaults of nullable groups.</summary>
    private static void CollectUnset(
        ParametersDescriptor descriptor, string prefix, string csharpPrefix, HashSet<string> axes, Dictionary<string, object?> fixedFields, List<string> missing)
    {
        foreach (var member in descriptor.Members)
        {
            if (!member.IsSettable)
            {
                continue;
            }

            var path = prefix + member.HashName;
            if (member is { Kind: ParameterKind.Group, Group: { } group })
            {
                var anyAxis = axes.Any(a => a.StartsWith(path + ".", StringComparison.Ordinal));
                if (!anyAxis && member.HasDefault && member.DefaultValue is null && OverrideValues.IsNullable(member))
                {
                    // A group that defaults to null: FromFlat reads a null field as a null group.
                    fixedFields[path] = null;
                    continue;
                }

                CollectUnset(group, path + ".", csharpPrefix + member.Name + ".", axes, fixedFields, missing);
            }
            else if (!member.HasDefault && !axes.Contains(path))
            {
                missing.Add(csharpPrefix + member.Name);
            }
        }
    }

    private static bool IsIndex(string segment) => segment.Length > 0 && segment.All(char.IsAsciiDigit);

    private static string Example(ParametersDescriptor descriptor)
        => OverridePaths.LeafPaths(descriptor) is [var first, ..] ? $"{first}=a,b" : "Name=a,b";

    /// <summary>Collects axes, refusing a path given twice, and counts the grid.</summary>
    private sealed class Builder(ParametersDescriptor descriptor)
    {
        private readonly List<(SweepOverrideAxis Axis, string Source)> _axes = [];
        private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

        public void Add(OverrideTarget target, List<string> values, string source)
        {
            if (_sources.TryGetValue(target.Path, out var earlier))
            {
                throw new SweepArgumentException(
                    $"'{target.Path}' is given twice, by {earlier} and by {source}. Give all of its values once, such as {target.Path}=a,b.",
                    target.Path);
            }

            _sources[target.Path] = source;
            _axes.Add((new SweepOverrideAxis(target.Path, new ReadOnlyCollection<string>(values)), source));
        }

        public SweepOverrides Build(bool declarationOrder)
        {
            var axes = _axes.ConvertAll(static a => a.Axis);
            if (declarationOrder)
            {
                var order = OverridePaths.DeclarationOrder(descriptor);
                axes = [.. axes.OrderBy(a => order.GetValueOrDefault(a.Path, int.MaxValue))];
            }

            long count = 1;
            foreach (var axis in axes)
            {
                if (count > long.MaxValue / axis.RawValues.Count)
                {
                    throw new SweepArgumentException(
                        $"The overrides {string.Join(" × ", axes.Select(static a => SweepText.Number(a.RawValues.Count)))} make more than "
                        + $"{SweepText.Number(long.MaxValue)} combinations, too many to count or index. Sweep fewer values.");
                }

                count *= axis.RawValues.Count;
            }

            return new SweepOverrides(descriptor, [.. axes], count);
        }
    }
}
