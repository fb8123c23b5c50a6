namespace ExperimentKit;

/// <summary>The points of a sweep that satisfy a predicate, found by enumerating it each time they are asked for.</summary>
internal sealed class FilteredSweep<T> : Sweep<T>
{
    private readonly Sweep<T> _source;
    private readonly Func<T, bool> _predicate;

    public FilteredSweep(Sweep<T> source, Func<T, bool> predicate)
    {
        _source = source;
        _predicate = predicate;
    }

    public override long Count
    {
        get
        {
            long count = 0;
            foreach (var point in _source)
            {
                if (_predicate(point))
                {
                    count++;
                }
            }

            return count;
        }
    }

    public override bool IsIndexable => false;

    public override T ElementAt(long index)
    {
        if (index < 0)
        {
            throw SweepText.NegativeIndex(index);
        }

        long seen = 0;
        foreach (var point in _source)
        {
            if (_predicate(point))
            {
                if (seen == index)
                {
                    return point;
                }

                seen++;
            }
        }

        throw SweepText.IndexOutOfRange(index, seen);
    }

    public override IEnumerator<T> GetEnumerator()
    {
        foreach (var point in _source)
        {
            if (_predicate(point))
            {
                yield return point;
            }
        }
    }

    internal override string Describe() => $"filter of ({_source.Describe()})";
}
