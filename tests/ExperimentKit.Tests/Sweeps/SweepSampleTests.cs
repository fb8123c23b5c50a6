namespace ExperimentKit.Tests.Sweeps;

public class SweepSampleTests
{
    private static Sweep<int> Numbers(int n) => Sweep<int>.Grid([n], idx => idx[0]);

    [Fact]
    public void Sample_draws_distinct_points_of_the_sweep()
    {
        var grid = SweepFixtures.IndexGrid(10, 10, 10);
        var sample = grid.Sample(50, seed: 7).Select(p => string.Join(",", p)).ToList();
        var all = grid.Select(p => string.Join(",", p)).ToHashSet();

        Assert.Equal(50, sample.Count);
        Assert.Equal(50, sample.Distinct().Count());
        Assert.All(sample, p => Assert.Contains(p, all));
    }

    [Fact]
    public void Sample_is_an_indexable_sweep_whose_ElementAt_matches_enumeration()
    {
        var sample = SweepFixtures.Billion().Sample(20, seed: 3);
        var enumerated = sample.ToList();

        Assert.True(sample.IsIndexable);
        Assert.Equal(20, sample.Count);
        for (int i = 0; i < enumerated.Count; i++)
        {
            Assert.Equal(enumerated[i], sample.ElementAt(i));
        }

        Assert.Contains("[0, 20)", Assert.Throws<ArgumentOutOfRangeException>(() => sample.ElementAt(20)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seed_gives_the_same_points()
    {
        var grid = SweepFixtures.Billion();

        Assert.Equal(grid.Sample(100, seed: 12345).ToList(), grid.Sample(100, seed: 12345).ToList());
        Assert.Equal(Numbers(1000).Where(x => x % 7 == 0).Sample(10, 9).ToList(), Numbers(1000).Where(x => x % 7 == 0).Sample(10, 9).ToList());
    }

    [Fact]
    public void Different_seeds_give_different_points()
    {
        var grid = SweepFixtures.Billion();

        Assert.NotEqual(grid.Sample(10, seed: 1).ToList(), grid.Sample(10, seed: 2).ToList());
        Assert.NotEqual(Numbers(1000).Where(x => x % 7 == 0).Sample(10, 1).ToList(), Numbers(1000).Where(x => x % 7 == 0).Sample(10, 2).ToList());
    }

    [Fact]
    public void Seed_42_draws_pinned_points_on_every_machine_and_version()
    {
        // These values are the reproducibility promise: if this test fails, sampling has changed and every
        // published Sample(count, seed) would now pick different runs. Do not update them casually.
        Assert.Equal(
            [(741, 564, 878), (159, 910, 393), (278, 601, 131), (344, 190, 718), (38, 30, 172)],
            SweepFixtures.Billion().Sample(5, seed: 42).ToList());

        Assert.Equal([5, 7, 9, 6, 3, 8, 2, 0, 1], Numbers(10).Sample(9, seed: 1).ToList());
    }

    [Fact]
    public void Seed_42_on_a_filtered_sweep_draws_pinned_points()
    {
        var multiplesOf3 = Numbers(1000).Where(x => x % 3 == 0);

        Assert.Equal([666, 660, 153, 900, 960], multiplesOf3.Sample(5, seed: 42).ToList());
    }

    [Fact]
    public void A_smaller_sample_is_a_prefix_of_a_larger_one_with_the_same_seed()
    {
        var grid = SweepFixtures.Billion();

        Assert.Equal(grid.Sample(10, seed: 99).ToList(), grid.Sample(200, seed: 99).Take(10).ToList());
    }

    [Fact]
    public void Sampling_1000_points_from_a_billion_is_instant_and_small()
    {
        var grid = SweepFixtures.Billion();
        _ = grid.Sample(10, seed: 1).ToArray(); // warm up: JIT and type loading

        long before = GC.GetAllocatedBytesForCurrentThread();
        var sample = grid.Sample(1000, seed: 42).ToArray();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000, sample.Length);
        Assert.Equal(1000, sample.Distinct().Count());
        Assert.True(allocated < 1024 * 1024, $"Sampling allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void Sampling_at_least_every_point_returns_the_whole_sweep_in_order()
    {
        var grid = SweepFixtures.SmallGrid();

        Assert.Same(grid, grid.Sample(6, seed: 1));
        Assert.Equal(grid.ToList(), grid.Sample(100, seed: 1).ToList());
        Assert.Equal([2, 4], Sweep<int>.Of(1, 2, 3, 4).Where(x => x % 2 == 0).Sample(5, seed: 1).ToList());
    }

    [Fact]
    public void Sampling_all_but_one_point_still_draws_distinct_points()
    {
        var sample = Numbers(1000).Sample(999, seed: 5).ToList();

        Assert.Equal(999, sample.Distinct().Count());
        Assert.All(sample, x => Assert.InRange(x, 0, 999));
    }

    [Fact]
    public void Sampling_nothing_gives_an_empty_sweep()
    {
        Assert.Empty(SweepFixtures.Billion().Sample(0, seed: 1));
        Assert.Equal(0, Numbers(10).Where(x => x > 2).Sample(0, seed: 1).Count);
    }

    [Fact]
    public void A_negative_count_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>("count", () => Numbers(10).Sample(-1, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => Numbers(10).Where(x => x > 2).Sample(-1, seed: 1));
    }

    [Fact]
    public void Sampling_a_filtered_sweep_draws_distinct_matching_points()
    {
        var source = Numbers(10_000).Where(x => x % 5 == 0);
        var sample = source.Sample(100, seed: 11);
        var points = sample.ToList();

        Assert.Equal(100, sample.Count);
        Assert.Equal(100, points.Distinct().Count());
        Assert.All(points, x => Assert.Equal(0, x % 5));
        Assert.Equal(points[37], sample.ElementAt(37));
    }

    [Fact]
    public void Sampling_a_filtered_sweep_is_lazy_and_enumerates_once()
    {
        int calls = 0;
        var sample = Numbers(100).Where(x => { calls++; return x % 2 == 0; }).Sample(5, seed: 3);
        Assert.Equal(0, calls);

        _ = sample.ToList();
        _ = sample.Count;
        _ = sample.ElementAt(4);
        Assert.Equal(100, calls);
    }

    [Fact]
    public void Sampling_a_sample_or_a_concatenation_works()
    {
        var sweep = Numbers(100).Concat(Numbers(50)).Sample(30, seed: 8).Sample(10, seed: 9);

        Assert.Equal(10, sweep.Count);
        Assert.Equal(10, sweep.Distinct().Count());
    }

    [Fact]
    public void Each_point_is_equally_likely_to_be_drawn()
    {
        // Deterministic for these seeds; the bounds are several standard deviations (about 30) wide.
        var indexed = new int[10];
        var filtered = new int[10];
        var firstOfThree = new int[10];
        var evens = Numbers(20).Where(x => x % 2 == 0);
        for (ulong seed = 0; seed < 10_000; seed++)
        {
            indexed[Numbers(10).Sample(1, seed).Single()]++;
            filtered[evens.Sample(1, seed).Single() / 2]++;
            firstOfThree[evens.Sample(3, seed).First() / 2]++;
        }

        Assert.All(indexed, c => Assert.InRange(c, 850, 1150));
        Assert.All(filtered, c => Assert.InRange(c, 850, 1150));
        Assert.All(firstOfThree, c => Assert.InRange(c, 850, 1150));
    }
}
