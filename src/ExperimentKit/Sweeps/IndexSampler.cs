namespace ExperimentKit;

/// <summary>Draws distinct indices at random from [0, population), reproducibly for a seed.</summary>
internal static class IndexSampler
{
    /// <summary>
    /// <paramref name="count"/> distinct indices from [0, <paramref name="population"/>), in the order drawn.
    /// </summary>
    /// <remarks>
    /// A partial Fisher–Yates shuffle of the virtual array 0, 1, …, population − 1 that stores only the cells
    /// it has disturbed, so it takes exactly <paramref name="count"/> draws and O(count) memory however large
    /// the population. Step i swaps cell i with a uniformly chosen cell in [i, population) and emits it, so the
    /// sequence is a uniformly random arrangement, every prefix is itself a uniform sample, and the draws for
    /// a smaller count with the same seed are a prefix of those for a larger one.
    /// </remarks>
    /// <param name="population">The number of indices to choose from.</param>
    /// <param name="count">How many to choose; at most <paramref name="population"/>.</param>
    /// <param name="seed">The seed of the <see cref="SplitMix64"/> generator.</param>
    public static long[] Draw(long population, int count, ulong seed)
    {
        if (population < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(population), population, "The population cannot be negative.");
        }

        if (count < 0 || count > population)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot draw {count} distinct indices from {population}.");
        }

        var rng = new SplitMix64(seed);
        var drawn = new long[count];

        // Cells of the virtual array whose value is not their own position. Only cells beyond the current
        // step are kept, so it never holds more than count entries.
        var moved = new Dictionary<long, long>();
        for (int i = 0; i < count; i++)
        {
            long j = i + rng.NextBelow(population - i);
            long atI = moved.Remove(i, out long vi) ? vi : i;
            if (j == i)
            {
                drawn[i] = atI;
                continue;
            }

            drawn[i] = moved.TryGetValue(j, out long vj) ? vj : j;
            moved[j] = atI;
        }

        return drawn;
    }
}
