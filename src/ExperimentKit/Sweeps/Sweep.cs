using System.Collections;

namespace ExperimentKit;

/// <summary>Builds one point of a grid sweep from the index chosen on each axis (called by generated code).</summary>
/// <typeparam name="T">The parameter type.</typeparam>
/// <param name="indices">One index per axis, in axis order.</param>
public delegate T GridPointFactory<out T>(ReadOnlySpan<int> indices);

/// <summary>
/// A lazy, ordered set of parameter points. Grids are cartesian products enumerated in a stable order
/// (the last axis varies fastest) and are never materialised: a sweep of 10^9 points costs its axes.
/// </summary>
/// <typeparam name="T">The parameter type.</typeparam>
/// <remarks>
/// Sweeps are immutable and may be enumerated any number of times; each enumeration builds the points afresh
/// and yields them in the same order. A sweep may hold at most <see cref="long.MaxValue"/> points.
/// </remarks>
public abstract class Sweep<T> : IEnumerable<T>
{
    /// <summary>
    /// The number of points. O(1) except after <see cref="Where"/>, which enumerates: the count of a filtered
    /// sweep (or of one built from it) runs the predicate over every point of its source each time it is read.
    /// </summary>
    /// <exception cref="OverflowException">The sweep has more than <see cref="long.MaxValue"/> points (only possible after <see cref="Where"/>; otherwise reported when the sweep is built).</exception>
    public abstract long Count { get; }

    /// <summary>Whether <see cref="ElementAt"/> is O(1)-ish (false after <see cref="Where"/>).</summary>
    public abstract bool IsIndexable { get; }

    /// <summary>The point at <paramref name="index"/> in enumeration order.</summary>
    /// <param name="index">A position in [0, <see cref="Count"/>).</param>
    /// <returns>The point, built on demand.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>; the message gives the valid range.</exception>
    /// <remarks>On a sweep that is not <see cref="IsIndexable"/>, this enumerates up to the point.</remarks>
    public abstract T ElementAt(long index);

    /// <summary>An explicit list of points, in the order given.</summary>
    /// <param name="points">The points; copied once, so later changes to the collection do not affect the sweep. May be empty.</param>
    /// <returns>A sweep with O(1) <see cref="Count"/> and <see cref="ElementAt"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    public static Sweep<T> Of(params IEnumerable<T> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return new ListSweep<T>([.. points]);
    }

    /// <summary>A cartesian product of axes of the given sizes (called by generated <c>Sweep(...)</c> methods).</summary>
    /// <param name="axisSizes">The number of values on each axis; each at least 1. No axes at all make a single point.</param>
    /// <param name="factory">Builds the point for one index per axis. Called once per point enumerated or indexed, never ahead of time.</param>
    /// <returns>
    /// A lazy sweep that holds only the axis sizes and the factory. Points come in odometer order: the last
    /// axis varies fastest, as in Python's <c>itertools.product</c>. <see cref="Count"/> and
    /// <see cref="ElementAt"/> are O(number of axes).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException">An axis size is less than 1; the message gives the axis position.</exception>
    /// <exception cref="OverflowException">The product of the axis sizes exceeds <see cref="long.MaxValue"/>.</exception>
    public static Sweep<T> Grid(ReadOnlySpan<int> axisSizes, GridPointFactory<T> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        long count = GridSweep<T>.CountPoints(axisSizes);
        return new GridSweep<T>(axisSizes.ToArray(), factory, count);
    }

    /// <summary>This sweep's points followed by <paramref name="other"/>'s.</summary>
    /// <param name="other">The sweep whose points come next.</param>
    /// <returns>
    /// A lazy sweep. It is indexable when both are; <see cref="Count"/> is then the sum and
    /// <see cref="ElementAt"/> looks the index up in the part it falls in.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="OverflowException">Both sweeps are indexable and have more than <see cref="long.MaxValue"/> points together.</exception>
    public Sweep<T> Concat(Sweep<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ConcatSweep<T>.Create(this, other);
    }

    /// <summary>Only the points that satisfy <paramref name="predicate"/>, lazily.</summary>
    /// <param name="predicate">Decides whether a point is kept; called during enumeration, never when the sweep is built.</param>
    /// <returns>
    /// A sweep that is not <see cref="IsIndexable"/>: its <see cref="Count"/> and <see cref="ElementAt"/>
    /// enumerate this sweep and run <paramref name="predicate"/> on every point they pass, each time.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public Sweep<T> Where(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new FilteredSweep<T>(this, predicate);
    }

    /// <summary>
    /// <paramref name="count"/> distinct points drawn at random by index, reproducibly for a seed on every
    /// machine and .NET version, without materialising the sweep.
    /// </summary>
    /// <param name="count">How many points to draw; at least 0.</param>
    /// <param name="seed">The seed of the generator (SplitMix64, specified bit for bit, so the draw never changes).</param>
    /// <returns>
    /// <para>
    /// When this sweep <see cref="IsIndexable"/>: the points at <paramref name="count"/> distinct indices drawn
    /// from [0, <see cref="Count"/>), in the order drawn, which is a uniformly random order. Every prefix is
    /// itself a uniform sample, and with the same seed a smaller sample is a prefix of a larger one. The
    /// indices are drawn now, in O(<paramref name="count"/>) time and memory whatever the size of the sweep;
    /// the points are built when enumerated or indexed. When <paramref name="count"/> is at least
    /// <see cref="Count"/>, this sweep itself is returned: every point, in its own order.
    /// </para>
    /// <para>
    /// Otherwise (after <see cref="Where"/>): reservoir sampling over one enumeration of this sweep, done on first
    /// use of the result and then kept (O(<paramref name="count"/>) memory). The chosen points come in a random
    /// order, or in this sweep's order when it has no more than <paramref name="count"/> points (all are kept).
    /// </para>
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Sweep<T> Sample(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!IsIndexable)
        {
            return new ReservoirSampledSweep<T>(this, count, seed);
        }

        long total = Count;
        if (count >= total)
        {
            return this;
        }

        return new SampledSweep<T>(this, IndexSampler.Draw(total, count, seed), seed);
    }

    /// <inheritdoc />
    public abstract IEnumerator<T> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Describes the sweep without enumerating it, such as <c>Sweep&lt;TrainParams&gt;: grid 2×1×2 = 4 points</c>.</summary>
    /// <returns>The element type and how the sweep is built.</returns>
    public override string ToString() => $"Sweep<{SweepText.TypeName(typeof(T))}>: {Describe()}";

    /// <summary>How the sweep is built, in a few words; cheap (never enumerates).</summary>
    internal virtual string Describe() => IsIndexable ? $"{GetType().Name}, {SweepText.Points(Count)}" : GetType().Name;
}
