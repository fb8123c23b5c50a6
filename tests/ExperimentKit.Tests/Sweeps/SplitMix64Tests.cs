namespace ExperimentKit.Tests.Sweeps;

public class SplitMix64Tests
{
    [Fact]
    public void Matches_the_reference_sequence()
    {
        // The published SplitMix64 outputs for seed 0.
        var rng = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, rng.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.Next());
        Assert.Equal(0x06C45D188009454FUL, rng.Next());
    }

    [Fact]
    public void Seed_42_is_pinned()
    {
        var rng = new SplitMix64(42);

        Assert.Equal(0xBDD732262FEB6E95UL, rng.Next());
        Assert.Equal(0x28EFE333B266F103UL, rng.Next());
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(3UL)]
    [InlineData(10UL)]
    [InlineData(1UL << 63)]
    [InlineData(ulong.MaxValue)]
    public void NextBelow_stays_below_the_bound(ulong bound)
    {
        var rng = new SplitMix64(7);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(rng.NextBelow(bound) < bound);
        }
    }

    [Fact]
    public void NextBelow_is_roughly_uniform()
    {
        var rng = new SplitMix64(2024);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++)
        {
            counts[rng.NextBelow(7L)]++;
        }

        // Expected 10,000 each, standard deviation about 93: a deterministic check with a wide margin.
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
