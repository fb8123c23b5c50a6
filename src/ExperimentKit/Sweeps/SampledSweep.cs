namespace ExperimentKit;

/// <summary>The points of an indexable sweep at indices drawn by <see cref="IndexSampler"/>, built on demand.</summary>
internal sealed class SampledSweep<T> : Sweep<T>
{
    private readonly Sweep<T> _source;
    private readonly long[] _indices;
    private readonly ulong _seed;

    public SampledSweep(Sweep<T> source, long[] indices, ulong seed)
    {
        _source = source;
        _indices = indices;
        _seed = seed;
    }

    public override long Count => _indices.Length;

    public override bool IsIndexable => true;

    /// <summary>The indices into the source, in the order drawn.</summary>
    internal ReadOnlySpan<long> SourceIndices => _indices;

    public override T ElementAt(long index)
        => (ulong)index < (ulong)_indices.Length
            ? _source.ElementAt(_indices[index])
            : throw SweepText.IndexOutOfRange(index, _indices.Length);

    public override IEnumerator<T> GetEnumerator()
    {
        foreach (long index in _indices)
        {
            yield return _source.ElementAt(index);
        }
    }

    internal override string Describe()
        => $"{SweepText.Points(_indices.Length)} sampled from ({_source.Describe()}) with seed {_seed}";
}
