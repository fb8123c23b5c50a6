namespace ExperimentKit;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, 2014): a 64-bit counter stepped by the golden-ratio
/// constant and passed through a mixing function. It is specified bit for bit, so a seed gives the same
/// sequence on every machine and .NET version, which <see cref="System.Random"/> does not promise.
/// </summary>
/// <remarks>
/// A mutable struct: keep it in a local or a field and call it in place; a copy continues independently.
/// Changing anything here changes every <see cref="Sweep{T}.Sample"/> result; tests pin its output.
/// </remarks>
internal struct SplitMix64
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    private ulong _state;

    /// <summary>Starts the generator at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        unchecked
        {
            _state += Golden;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }

    /// <summary>
    /// A uniformly distributed integer in [0, <paramref name="bound"/>), without modulo bias: the high word of
    /// a 64×64-bit product, redrawn in the rare case that the low word falls in the biased zone (Lemire, 2019).
    /// Integer-only, so exactly reproducible.
    /// </summary>
    /// <param name="bound">The exclusive upper bound; at least 1.</param>
    public ulong NextBelow(ulong bound)
    {
        ulong high = Math.BigMul(Next(), bound, out ulong low);
        if (low < bound)
        {
            // 2^64 mod bound: the number of low words that would over-represent some results.
            ulong threshold = unchecked(0UL - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(Next(), bound, out low);
            }
        }

        return high;
    }

    /// <summary>A uniformly distributed integer in [0, <paramref name="bound"/>).</summary>
    /// <param name="bound">The exclusive upper bound; at least 1.</param>
    public long NextBelow(long bound) => (long)NextBelow((ulong)bound);
}
