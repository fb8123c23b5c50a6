namespace ExperimentKit;

/// <summary>
/// Several sweeps one after another. Chains of <see cref="Sweep{T}.Concat"/> are flattened into one list of
/// parts, so indexing is a binary search over the parts' start positions rather than a walk down a chain.
/// </summary>
internal sealed class ConcatSweep<T> : Sweep<T>
{
    private readonly Sweep<T>[] _parts;

    // When every part is indexable: _starts[p] is the index of part p's first point, _starts[^1] the total.
    private readonly long[]? _starts;

    private ConcatSweep(Sweep<T>[] parts, long[]? starts)
    {
        _parts = parts;
        _starts = starts;
    }

    public override long Count
    {
        get
        {
            if (_starts is not null)
            {
                return _starts[^1];
            }

            long total = 0;
            foreach (var part in _parts)
            {
                total = Add(total, part.Count);
            }

            return total;
        }
    }

    public override bool IsIndexable => _starts is not null;

    public static ConcatSweep<T> Create(Sweep<T> first, Sweep<T> second)
    {
        Sweep<T>[] parts = [.. PartsOf(first), .. PartsOf(second)];

        long[]? starts = null;
        if (Array.TrueForAll(parts, p => p.IsIndexable))
        {
            // Every count is O(1) here, so an overflow is reported now rather than on first use.
            starts = new long[parts.Length + 1];
            for (int p = 0; p < parts.Length; p++)
            {
                starts[p + 1] = Add(starts[p], parts[p].Count);
            }
        }

        return new ConcatSweep<T>(parts, starts);
    }

    public override T ElementAt(long index)
    {
        if (_starts is not null)
        {
            if ((ulong)index >= (ulong)_starts[^1])
            {
                throw SweepText.IndexOutOfRange(index, _starts[^1]);
            }

            // The part p with _starts[p] <= index < _starts[p + 1]; empty parts are skipped naturally.
            int lo = 0, hi = _parts.Length - 1;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) / 2);
                if (_starts[mid + 1] <= index)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return _parts[lo].ElementAt(index - _starts[lo]);
        }

        if (index < 0)
        {
            throw SweepText.NegativeIndex(index);
        }

        // Some part must be enumerated: skip indexable parts by their count, walk the others once each.
        long offset = 0;
        foreach (var part in _parts)
        {
            if (part.IsIndexable)
            {
                long count = part.Count;
                if (index - offset < count)
                {
                    return part.ElementAt(index - offset);
                }

                offset += count;
                continue;
            }

            foreach (var point in part)
            {
                if (offset == index)
                {
                    return point;
                }

                offset++;
            }
        }

        throw SweepText.IndexOutOfRange(index, offset);
    }

    public override IEnumerator<T> GetEnumerator()
    {
        foreach (var part in _parts)
        {
            foreach (var point in part)
            {
                yield return point;
            }
        }
    }

    internal override string Describe()
    {
        var text = string.Join(" + ", Array.ConvertAll(_parts, p => "(" + p.Describe() + ")"));
        return _starts is null ? text : $"{text} = {SweepText.Points(_starts[^1])}";
    }

    private static Sweep<T>[] PartsOf(Sweep<T> sweep) => sweep is ConcatSweep<T> concat ? concat._parts : [sweep];

    private static long Add(long total, long count)
        => total > long.MaxValue - count
            ? throw new OverflowException(
                $"The concatenated sweep has more than {SweepText.Number(long.MaxValue)} (Int64.MaxValue) points, "
                + "too many to count or index.")
            : total + count;
}
