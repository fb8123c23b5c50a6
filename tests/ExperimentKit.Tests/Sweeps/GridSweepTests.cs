using CsCheck;

namespace ExperimentKit.Tests.Sweeps;

public class GridSweepTests
{
    [Fact]
    public void Grid_enumerates_with_the_last_axis_fastest()
    {
        Assert.Equal(
            [(0, "a"), (0, "b"), (0, "c"), (1, "a"), (1, "b"), (1, "c")],
            SweepFixtures.SmallGrid().ToList());
    }

    [Fact]
    public void Three_axes_follow_itertools_product_order()
    {
        var points = SweepFixtures.IndexGrid(2, 1, 2).Select(p => string.Join("", p)).ToList();

        Assert.Equal(["000", "001", "100", "101"], points);
    }

    [Fact]
    public void Count_is_the_product_of_the_axis_sizes()
    {
        Assert.Equal(6, SweepFixtures.SmallGrid().Count);
        Assert.Equal(24, SweepFixtures.IndexGrid(2, 3, 4).Count);
        Assert.Equal(1, SweepFixtures.IndexGrid(1, 1).Count);
        Assert.True(SweepFixtures.SmallGrid().IsIndexable);
    }

    [Fact]
    public void ElementAt_matches_enumeration_order()
    {
        var grid = SweepFixtures.SmallGrid();
        var enumerated = grid.ToList();

        for (int i = 0; i < enumerated.Count; i++)
        {
            Assert.Equal(enumerated[i], grid.ElementAt(i));
        }
    }

    [Fact]
    public void ElementAt_matches_enumeration_for_any_shape()
    {
        Gen.Int[1, 4].Array[0, 4].Sample(sizes =>
        {
            var grid = SweepFixtures.IndexGrid(sizes);
            var enumerated = grid.ToList();

            Assert.Equal(sizes.Aggregate(1L, (product, size) => product * size), grid.Count);
            Assert.Equal(grid.Count, enumerated.Count);
            Assert.Equal(enumerated.Count, enumerated.Select(p => string.Join(",", p)).Distinct().Count());
            for (int i = 0; i < enumerated.Count; i++)
            {
                Assert.Equal(enumerated[i], grid.ElementAt(i));
            }
        });
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    [InlineData(long.MaxValue)]
    public void ElementAt_outside_the_grid_gives_the_range(long index)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SweepFixtures.SmallGrid().ElementAt(index));

        Assert.Contains("[0, 6)", ex.Message, StringComparison.Ordinal);
        Assert.Equal("index", ex.ParamName);
    }

    [Fact]
    public void A_billion_point_grid_costs_only_its_axes()
    {
        var grid = SweepFixtures.Billion();

        Assert.Equal(1_000_000_000L, grid.Count);
        Assert.Equal((123, 456, 789), grid.ElementAt(123_456_789));
        Assert.Equal((999, 999, 999), grid.ElementAt(999_999_999));
        Assert.Equal([(0, 0, 0), (0, 0, 1), (0, 0, 2)], grid.Take(3));
    }

    [Fact]
    public void Points_are_built_only_when_asked_for()
    {
        int calls = 0;
        var grid = Sweep<int>.Grid([1000, 1000, 1000], idx => { calls++; return idx[2]; });
        Assert.Equal(0, calls);

        _ = grid.Take(5).ToList();
        Assert.Equal(5, calls);

        _ = grid.ElementAt(42);
        Assert.Equal(6, calls);
    }

    [Fact]
    public void Enumerating_allocates_nothing_per_point()
    {
        var grid = SweepFixtures.Billion();
        Walk(grid, 1000); // warm up: JIT and type loading

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = Walk(grid, 200_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sum > 0);
        // 200,000 points at even one small object each would be several megabytes.
        Assert.True(allocated < 64 * 1024, $"Enumerating 200,000 points allocated {allocated:N0} bytes.");

        static long Walk(Sweep<(int, int, int)> sweep, int limit)
        {
            long total = 0;
            int n = 0;
            foreach (var (a, b, c) in sweep)
            {
                total += a + b + c;
                if (++n == limit)
                {
                    break;
                }
            }

            return total;
        }
    }

    [Fact]
    public void A_grid_can_be_enumerated_again_with_the_same_points()
    {
        var grid = SweepFixtures.SmallGrid();

        Assert.Equal(grid.ToList(), grid.ToList());
    }

    [Fact]
    public void A_grid_without_axes_has_one_point()
    {
        var grid = Sweep<string>.Grid([], idx => $"axes={idx.Length}");

        Assert.Equal(1, grid.Count);
        Assert.Equal(["axes=0"], grid.ToList());
        Assert.Equal("axes=0", grid.ElementAt(0));
    }

    [Fact]
    public void The_grid_keeps_its_own_copy_of_the_axis_sizes()
    {
        int[] sizes = [2, 2];
        var grid = SweepFixtures.IndexGrid(sizes);
        sizes[0] = 5;

        Assert.Equal(4, grid.Count);
        Assert.Equal(4, grid.Count());
    }

    [Fact]
    public void An_empty_axis_is_an_error_naming_its_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => SweepFixtures.IndexGrid(3, 0, 2));

        Assert.Contains("Axis 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no points", ex.Message, StringComparison.Ordinal);
        Assert.Equal("axisSizes", ex.ParamName);
    }

    [Fact]
    public void A_negative_axis_size_is_an_error_naming_its_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => SweepFixtures.IndexGrid(3, 2, -4));

        Assert.Contains("Axis 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_factory_is_rejected()
    {
        Assert.Throws<ArgumentNullException>("factory", () => Sweep<int>.Grid([2], null!));
    }

    [Fact]
    public void Count_up_to_Int64_MaxValue_is_exact()
    {
        const int Max = int.MaxValue;
        var grid = Sweep<(int, int, int)>.Grid([Max, Max, 2], idx => (idx[0], idx[1], idx[2]));

        Assert.Equal((long)Max * Max * 2, grid.Count);
        Assert.Equal((Max - 1, Max - 1, 1), grid.ElementAt(grid.Count - 1));
        Assert.Equal((1, 0, 0), grid.ElementAt((long)Max * 2));
    }

    [Fact]
    public void A_grid_with_more_than_Int64_MaxValue_points_is_rejected_clearly()
    {
        var ex = Assert.Throws<OverflowException>(() => SweepFixtures.IndexGrid(int.MaxValue, int.MaxValue, 3));

        Assert.Contains("2,147,483,647×2,147,483,647×3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int64.MaxValue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_shows_the_shape_and_count()
    {
        var sweep = TrainParams.Sweep(learningRate: [0.1, 0.01], epochs: [10], dataset: ["mnist", "cifar"]);

        Assert.Equal("Sweep<TrainParams>: grid 2×1×2 = 4 points", sweep.ToString());
        Assert.Equal("Sweep<ValueTuple<Int32, Int32, Int32>>: grid 1,000×1,000×1,000 = 1,000,000,000 points", SweepFixtures.Billion().ToString());
    }
}
