namespace ExperimentKit;

/// <summary>
/// The cartesian product of axes of given sizes, enumerated like an odometer (the last axis varies fastest).
/// Holds only the axis sizes and the factory: points are built on demand.
/// </summary>
internal sealed class GridSweep<T> : Sweep<T>
{
    // Index arrays up to this many axes are decoded on the stack.
    private const int StackAxes = 32;

    private readonly int[] _sizes;
    private readonly GridPointFactory<T> _factory;
    private readonly long _count;

    public GridSweep(int[] sizes, GridPointFactory<T> factory, long count)
    {
        _sizes = sizes;
        _factory = factory;
        _count = count;
    }

    public override long Count => _count;

    public override bool IsIndexable => true;

    /// <summary>The product of <paramref name="sizes"/>, or an explanation of why it cannot be a grid.</summary>
    public static long CountPoints(ReadOnlySpan<int> sizes)
    {
        long count = 1;
        for (int axis = 0; axis < sizes.Length; axis++)
        {
            int size = sizes[axis];
            if (size < 1)
            {
                throw new ArgumentException(
                    size == 0
                        ? $"Axis {axis} of the grid is empty, so the sweep would have no points. Give every axis at least one value."
                        : $"Axis {axis} of the grid has size {size}; axis sizes must be at least 1.",
                    "axisSizes");
            }

            if (count > long.MaxValue / size)
            {
                throw new OverflowException(
                    $"The grid {Shape(sizes)} has more than {SweepText.Number(long.MaxValue)} (Int64.MaxValue) points, "
                    + "too many to count or index. Sweep fewer values, or split it into several sweeps.");
            }

            count *= size;
        }

        return count;
    }

    public override T ElementAt(long index)
    {
        if ((ulong)index >= (ulong)_count)
        {
            throw SweepText.IndexOutOfRange(index, _count);
        }

        Span<int> indices = _sizes.Length <= StackAxes ? stackalloc int[_sizes.Length] : new int[_sizes.Length];

        // Mixed radix, least significant digit last.
        long rest = index;
        for (int axis = _sizes.Length - 1; axis >= 0; axis--)
        {
            int size = _sizes[axis];
            indices[axis] = (int)(rest % size);
            rest /= size;
        }

        return _factory(indices);
    }

    public override IEnumerator<T> GetEnumerator()
    {
        var indices = new int[_sizes.Length];
        for (long n = 0; n < _count; n++)
        {
            yield return _factory(indices);

            // Advance the odometer: bump the last axis, carrying into earlier ones.
            for (int axis = indices.Length - 1; axis >= 0; axis--)
            {
                if (++indices[axis] < _sizes[axis])
                {
                    break;
                }

                indices[axis] = 0;
            }
        }
    }

    internal override string Describe()
        => _sizes.Length == 0
            ? "grid of no axes = 1 point"
            : $"grid {Shape(_sizes)} = {SweepText.Points(_count)}";

    private static string Shape(ReadOnlySpan<int> sizes)
    {
        var parts = new string[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = SweepText.Number(sizes[i]);
        }

        return string.Join('×', parts);
    }
}
