namespace ExperimentKit;

/// <summary>An explicit list of points, copied once into an array.</summary>
internal sealed class ListSweep<T> : Sweep<T>
{
    private readonly T[] _points;

    public ListSweep(T[] points) => _points = points;

    public override long Count => _points.Length;

    public override bool IsIndexable => true;

    public override T ElementAt(long index)
        => (ulong)index < (ulong)_points.Length ? _points[index] : throw SweepText.IndexOutOfRange(index, _points.Length);

    public override IEnumerator<T> GetEnumerator()
    {
        foreach (var point in _points)
        {
            yield return point;
        }
    }

    internal override string Describe() => "list of " + SweepText.Points(_points.Length);
}
