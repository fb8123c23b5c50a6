namespace ExperimentKit.Tests.Sweeps;

public class SweepCompositionTests
{
    [Fact]
    public void Of_keeps_the_points_in_the_order_given()
    {
        var sweep = Sweep<string>.Of("c", "a", "b", "a");

        Assert.Equal(["c", "a", "b", "a"], sweep.ToList());
        Assert.Equal(4, sweep.Count);
        Assert.True(sweep.IsIndexable);
        Assert.Equal("b", sweep.ElementAt(2));
    }

    [Fact]
    public void Of_copies_the_points_once()
    {
        var source = new List<int> { 1, 2, 3 };
        var sweep = Sweep<int>.Of(source);
        source.Add(4);
        source[0] = 100;

        Assert.Equal([1, 2, 3], sweep.ToList());
    }

    [Fact]
    public void Of_enumerates_a_lazy_sequence_once()
    {
        int enumerations = 0;
        var sweep = Sweep<int>.Of(Lazy());
        _ = sweep.ToList();
        _ = sweep.ElementAt(1);

        Assert.Equal(1, enumerations);

        IEnumerable<int> Lazy()
        {
            enumerations++;
            yield return 1;
            yield return 2;
        }
    }

    [Fact]
    public void Of_nothing_is_an_empty_sweep()
    {
        var empty = Sweep<int>.Of();

        Assert.Equal(0, empty.Count);
        Assert.Empty(empty);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => empty.ElementAt(0));
        Assert.Contains("no points", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_rejects_null()
    {
        Assert.Throws<ArgumentNullException>("points", () => Sweep<int>.Of((IEnumerable<int>)null!));
    }

    [Fact]
    public void Of_ElementAt_outside_gives_the_range()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Sweep<int>.Of(1, 2, 3).ElementAt(3));

        Assert.Contains("[0, 3)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concat_yields_the_first_sweep_then_the_second()
    {
        var sweep = SweepFixtures.SmallGrid().Concat(Sweep<(int, string)>.Of((9, "z"), (8, "y")));

        Assert.Equal(
            [(0, "a"), (0, "b"), (0, "c"), (1, "a"), (1, "b"), (1, "c"), (9, "z"), (8, "y")],
            sweep.ToList());
        Assert.Equal(8, sweep.Count);
        Assert.True(sweep.IsIndexable);
    }

    [Fact]
    public void Concat_ElementAt_matches_enumeration_across_many_parts()
    {
        var sweep = Sweep<int>.Of(1, 2)
            .Concat(Sweep<int>.Of())
            .Concat(Sweep<int>.Grid([3], idx => 10 + idx[0]))
            .Concat(Sweep<int>.Of(20).Concat(Sweep<int>.Of()))
            .Concat(Sweep<int>.Of(30, 31));
        var enumerated = sweep.ToList();

        Assert.Equal([1, 2, 10, 11, 12, 20, 30, 31], enumerated);
        Assert.Equal(8, sweep.Count);
        for (int i = 0; i < enumerated.Count; i++)
        {
            Assert.Equal(enumerated[i], sweep.ElementAt(i));
        }

        Assert.Contains("[0, 8)", Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(8)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(-1));
    }

    [Fact]
    public void Concat_is_lazy()
    {
        int calls = 0;
        var grid = Sweep<int>.Grid([1000, 1000], idx => { calls++; return idx[1]; });
        var sweep = grid.Concat(grid);

        Assert.Equal(2_000_000, sweep.Count);
        Assert.Equal(7, sweep.ElementAt(1_000_007));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Concat_with_a_filter_is_not_indexable_but_still_indexes()
    {
        var evens = Sweep<int>.Of(1, 2, 3, 4, 5, 6).Where(x => x % 2 == 0);
        var sweep = evens.Concat(Sweep<int>.Of(100, 200)).Concat(evens);

        Assert.False(sweep.IsIndexable);
        Assert.Equal(8, sweep.Count);
        Assert.Equal([2, 4, 6, 100, 200, 2, 4, 6], sweep.ToList());
        Assert.Equal(6, sweep.ElementAt(2));
        Assert.Equal(200, sweep.ElementAt(4));
        Assert.Equal(4, sweep.ElementAt(6));
        Assert.Contains("[0, 8)", Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concat_whose_count_overflows_is_rejected_clearly()
    {
        var huge = SweepFixtures.IndexGrid(int.MaxValue, int.MaxValue); // about 2^62 points
        var twice = huge.Concat(huge); // about 2^63 - 2^33: still fits

        Assert.Equal(2L * int.MaxValue * int.MaxValue, twice.Count);
        var ex = Assert.Throws<OverflowException>(() => twice.Concat(huge));
        Assert.Contains("Int64.MaxValue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concat_rejects_null()
    {
        Assert.Throws<ArgumentNullException>("other", () => Sweep<int>.Of(1).Concat(null!));
    }

    [Fact]
    public void Where_filters_lazily_in_order()
    {
        int calls = 0;
        var sweep = SweepFixtures.SmallGrid().Where(p => { calls++; return p.Item2 != "b"; });
        Assert.Equal(0, calls);

        Assert.Equal([(0, "a"), (0, "c"), (1, "a"), (1, "c")], sweep.ToList());
        Assert.Equal(6, calls);
        Assert.False(sweep.IsIndexable);
    }

    [Fact]
    public void Where_Count_and_ElementAt_enumerate()
    {
        int calls = 0;
        var sweep = SweepFixtures.SmallGrid().Where(p => { calls++; return p.Item1 == 1; });

        Assert.Equal(3, sweep.Count);
        Assert.Equal(6, calls);
        Assert.Equal((1, "b"), sweep.ElementAt(1));
        Assert.Equal(6 + 5, calls);
    }

    [Fact]
    public void Where_ElementAt_outside_gives_the_range()
    {
        var sweep = SweepFixtures.SmallGrid().Where(p => p.Item1 == 1);

        Assert.Contains("[0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(3)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(-2));
    }

    [Fact]
    public void Where_rejects_null()
    {
        Assert.Throws<ArgumentNullException>("predicate", () => Sweep<int>.Of(1).Where(null!));
    }

    [Fact]
    public void Filters_compose()
    {
        var sweep = SweepFixtures.IndexGrid(4, 4).Where(p => p[0] != p[1]).Where(p => p[0] < p[1]);

        Assert.Equal(6, sweep.Count);
        Assert.Equal([0, 3], sweep.ElementAt(2));
    }

    [Fact]
    public void ToString_describes_without_enumerating()
    {
        int calls = 0;
        var grid = Sweep<int>.Grid([2, 3], idx => { calls++; return idx[0]; });
        var sweep = grid.Where(x => x > 0).Concat(Sweep<int>.Of(7));

        Assert.Equal("Sweep<Int32>: list of 1 point", Sweep<int>.Of(7).ToString());
        Assert.Equal("Sweep<Int32>: (grid 2×3 = 6 points) + (list of 2 points) = 8 points", grid.Concat(Sweep<int>.Of(1, 2)).ToString());
        Assert.Equal("Sweep<Int32>: (filter of (grid 2×3 = 6 points)) + (list of 1 point)", sweep.ToString());
        Assert.Equal("Sweep<Int32>: 2 points sampled from (grid 2×3 = 6 points) with seed 5", grid.Sample(2, 5).ToString());
        Assert.Equal(0, calls);
    }
}
