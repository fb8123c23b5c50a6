namespace ExperimentKit;

/// <summary>
/// Up to a given number of points drawn at random from a sweep that cannot be indexed (a filter), by reservoir
/// sampling over one enumeration. The draw happens on first use and is kept, so the points are held in memory:
/// O(count), never the whole source.
/// </summary>
internal sealed class ReservoirSampledSweep<T> : Sweep<T>
{
    private readonly Sweep<T> _source;
    private readonly int _count;
    private readonly ulong _seed;
    private readonly Lock _gate = new();
    private T[]? _points;

    public ReservoirSampledSweep(Sweep<T> source, int count, ulong seed)
    {
        _source = source;
        _count = count;
        _seed = seed;
    }

    /// <summary>The number of points; the first use enumerates the source once.</summary>
    public override long Count => Points.Length;

    /// <summary>False: the first use enumerates the whole source.</summary>
    public override bool IsIndexable => false;

    private T[] Points
    {
        get
        {
            lock (_gate)
            {
                return _points ??= Draw();
            }
        }
    }

    public override T ElementAt(long index)
    {
        var points = Points;
        return (ulong)index < (ulong)points.Length ? points[index] : throw SweepText.IndexOutOfRange(index, points.Length);
    }

    public override IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Points).GetEnumerator();

    internal override string Describe()
        => $"up to {SweepText.Points(_count)} sampled from ({_source.Describe()}) with seed {_seed}";

    private T[] Draw()
    {
        if (_count == 0)
        {
            return [];
        }

        var rng = new SplitMix64(_seed);
        var reservoir = new List<T>();
        long seen = 0;
        foreach (var point in _source)
        {
            if (seen < _count)
            {
                reservoir.Add(point);
            }
            else
            {
                // Algorithm R: the point replaces a random slot with probability count / (seen + 1).
                long slot = rng.NextBelow(seen + 1);
                if (slot < _count)
                {
                    reservoir[(int)slot] = point;
                }
            }

            seen++;
        }

        var points = reservoir.ToArray();
        if (seen <= _count)
        {
            // Every point was kept: leave them in the source's order, as an indexable sweep does.
            return points;
        }

        // The reservoir's slot order is not random (early points tend to keep their slots), so shuffle it
        // (Fisher–Yates) to give the same guarantee as an index sample: a random order whose prefixes are
        // themselves uniform samples.
        for (int i = points.Length - 1; i > 0; i--)
        {
            int j = (int)rng.NextBelow((long)i + 1);
            (points[i], points[j]) = (points[j], points[i]);
        }

        return points;
    }
}
