namespace ExperimentKit;

/// <summary>
/// A base sweep with a grid of overrides applied to each of its points: for each base point in order, every
/// combination of the override values (the last axis varies fastest) written over the point's flat fields and
/// rebuilt with <c>FromFlat</c>. Holds the base sweep and the axes only.
/// </summary>
internal sealed class OverrideSweep<T> : Sweep<T>
    where T : IExperimentParameters<T>
{
    private readonly Sweep<T> _base;
    private readonly string[] _paths;
    private readonly IReadOnlyList<string>[] _values;
    private readonly long _gridCount;

    // The total when the base is indexable (its count is then O(1)); otherwise computed on each read.
    private readonly long _count;

    private OverrideSweep(Sweep<T> baseSweep, string[] paths, IReadOnlyList<string>[] values, long gridCount, long count)
    {
        _base = baseSweep;
        _paths = paths;
        _values = values;
        _gridCount = gridCount;
        _count = count;
    }

    public override long Count => _base.IsIndexable ? _count : Multiply(_base.Count, _gridCount);

    public override bool IsIndexable => _base.IsIndexable;

    /// <summary>Base sweeps up to this size are checked for points that differ only in overridden members.</summary>
    internal const long DistinctBaseLimit = 100_000;

    public static OverrideSweep<T> Create(Sweep<T> baseSweep, string[] paths, IReadOnlyList<string>[] values, long gridCount)
    {
        baseSweep = DistinctOnTheRest(baseSweep, paths);
        return new(baseSweep, paths, values, gridCount, baseSweep.IsIndexable ? Multiply(baseSweep.Count, gridCount) : -1);
    }

    /// <summary>
    /// Overriding a member the base sweep already varies would give each override point once per base value of
    /// that member. Keeps the first base point of each combination of the members that are not overridden, so
    /// <c>LearningRate=0.1,1</c> replaces the code's learning rates instead of repeating the points. Bases larger
    /// than <see cref="DistinctBaseLimit"/> are left as they are (the worker skips completed duplicates).
    /// </summary>
    private static Sweep<T> DistinctOnTheRest(Sweep<T> baseSweep, string[] paths)
    {
        if (!baseSweep.IsIndexable || baseSweep.Count > DistinctBaseLimit)
        {
            return baseSweep;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<T>();
        var all = 0L;
        foreach (var point in baseSweep)
        {
            all++;
            var rest = point.ToFlat()
                .Where(f => !Derived(T.Descriptor, f.Key) && !paths.Any(p => f.Key == p || f.Key.StartsWith(p + ".", StringComparison.Ordinal)))
                .OrderBy(static f => f.Key, StringComparer.Ordinal)
                .Select(static f => f.Key + "=" + FlatJson.ToJsonText(f.Value));
            if (seen.Add(string.Join('\n', rest)))
            {
                kept.Add(point);
            }
        }

        return kept.Count == all ? baseSweep : Sweep<T>.Of(kept);
    }

    public override T ElementAt(long index)
    {
        if (_base.IsIndexable)
        {
            if ((ulong)index >= (ulong)_count)
            {
                throw SweepText.IndexOutOfRange(index, _count);
            }

            return Build(_base.ElementAt(index / _gridCount), index % _gridCount);
        }

        if (index < 0)
        {
            throw SweepText.NegativeIndex(index);
        }

        long seen = 0;
        foreach (var point in _base)
        {
            if (index - seen < _gridCount)
            {
                return Build(point, index - seen);
            }

            seen += _gridCount;
        }

        throw SweepText.IndexOutOfRange(index, seen);
    }

    public override IEnumerator<T> GetEnumerator()
    {
        var indices = new int[_paths.Length];
        foreach (var point in _base)
        {
            var fields = Fields(point);
            Array.Clear(indices);
            for (long n = 0; n < _gridCount; n++)
            {
                for (var axis = 0; axis < _paths.Length; axis++)
                {
                    fields[_paths[axis]] = _values[axis][indices[axis]];
                }

                yield return T.FromFlat(fields, string.Empty);

                // Advance the odometer: bump the last axis, carrying into earlier ones.
                for (var axis = indices.Length - 1; axis >= 0; axis--)
                {
                    if (++indices[axis] < _values[axis].Count)
                    {
                        break;
                    }

                    indices[axis] = 0;
                }
            }
        }
    }

    internal override string Describe()
    {
        var grid = string.Join('×', Array.ConvertAll(_values, static v => SweepText.Number(v.Count)));
        var text = $"overrides {grid} on each point of ({_base.Describe()})";
        return _base.IsIndexable ? $"{text} = {SweepText.Points(_count)}" : text;
    }

    /// <summary>Whether a flat path runs through a computed (get-only) member, whose value follows from the others.</summary>
    private static bool Derived(ParametersDescriptor descriptor, string path)
    {
        ParametersDescriptor? current = descriptor;
        foreach (var segment in path.Split('.'))
        {
            var member = current?.Members.FirstOrDefault(m => m.HashName == segment);
            if (member is null)
            {
                return false;
            }

            if (!member.IsSettable)
            {
                return true;
            }

            current = member.Group;
        }

        return false;
    }

    private static long Multiply(long baseCount, long gridCount)
        => baseCount != 0 && gridCount > long.MaxValue / baseCount
            ? throw new OverflowException(
                $"The overridden sweep has more than {SweepText.Number(long.MaxValue)} (Int64.MaxValue) points, too many to count or index.")
            : baseCount * gridCount;

    private T Build(T point, long gridIndex)
    {
        var fields = Fields(point);

        // Mixed radix, least significant digit last.
        for (var axis = _paths.Length - 1; axis >= 0; axis--)
        {
            var size = _values[axis].Count;
            fields[_paths[axis]] = _values[axis][(int)(gridIndex % size)];
            gridIndex /= size;
        }

        return T.FromFlat(fields, string.Empty);
    }

    /// <summary>
    /// The point's flat fields, ready for overrides. A group the point has as null is one null field; an
    /// override inside it removes that field, so the group is rebuilt from its fields and defaults.
    /// </summary>
    private Dictionary<string, object?> Fields(T point)
    {
        var fields = new Dictionary<string, object?>(point.ToFlat(), StringComparer.Ordinal);
        foreach (var path in _paths)
        {
            for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = path.IndexOf('.', dot + 1))
            {
                var group = path[..dot];
                if (fields.TryGetValue(group, out var value) && FlatValue.IsNull(value))
                {
                    fields.Remove(group);
                }
            }
        }

        return fields;
    }
}
