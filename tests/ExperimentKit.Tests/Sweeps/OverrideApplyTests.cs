using static ExperimentKit.Tests.Sweeps.OverrideParsingTests;

namespace ExperimentKit.Tests.Sweeps;

public class OverrideApplyTests
{
    private static OverridesTrain Point(double learningRate, int epochs, int layers, int width = 64, string dataset = "mnist")
        => new(learningRate, epochs, new OverrideModel(layers, new OverrideOptimizer(), width), dataset);

    [Fact]
    public void Without_a_base_the_axes_make_a_grid_whose_last_axis_varies_fastest()
    {
        var sweep = Train("LearningRate=0.1,0.2", "Epochs=1,2,3", "Model.Layers=4").Apply<OverridesTrain>(null);

        Assert.True(sweep.IsIndexable);
        Assert.Equal(6, sweep.Count);
        Assert.Equal(
            [Point(0.1, 1, 4), Point(0.1, 2, 4), Point(0.1, 3, 4), Point(0.2, 1, 4), Point(0.2, 2, 4), Point(0.2, 3, 4)],
            sweep.ToList());
        Assert.Equal(sweep.ToList(), Enumerable.Range(0, 6).Select(i => sweep.ElementAt(i)));
    }

    [Fact]
    public void The_order_of_the_tokens_is_the_order_of_the_axes()
    {
        var sweep = Train("Epochs=1,2", "LearningRate=0.1,0.2", "Model.Layers=4").Apply<OverridesTrain>();

        Assert.Equal([Point(0.1, 1, 4), Point(0.2, 1, 4), Point(0.1, 2, 4), Point(0.2, 2, 4)], sweep.ToList());
    }

    [Fact]
    public void Members_without_an_axis_take_their_defaults_and_every_kind_of_axis_is_read()
    {
        var point = Assert.Single(Train(
            "LearningRate=1e-3", "Epochs=range(7,8)", "Model.Layers=2", "Model.Activation=gelu", "Model.Optimizer.Name=\"sgd, momentum\"",
            "Workers=8", "bs=16", "Augment=TRUE").Apply<OverridesTrain>());

        Assert.Equal(
            new OverridesTrain(
                0.001, 7, new OverrideModel(2, new OverrideOptimizer("sgd, momentum"), 64, OverrideActivation.Gelu), "mnist", 8, 16, true),
            point);
    }

    [Fact]
    public void Nested_paths_set_one_field_of_a_group_two_levels_down()
    {
        var points = Train("LearningRate=0.1", "Epochs=1", "Model.Layers=2", "Model.Optimizer.Beta=0.5,0.99").Apply<OverridesTrain>().ToList();

        Assert.Equal([0.5, 0.99], points.Select(p => p.Model.Optimizer.Beta));
        Assert.All(points, p => Assert.Equal("adam", p.Model.Optimizer.Name));
    }

    [Fact]
    public void Every_member_without_a_default_and_without_an_axis_is_listed_in_one_error()
    {
        var ex = Assert.Throws<SweepArgumentException>(() => Train("Dataset=cifar").Apply<OverridesTrain>());

        Assert.Contains("'overrides-train' (OverridesTrain)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("members without a default: LearningRate, Epochs, Model.Layers.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LearningRate=... Epochs=... Model.Layers=...", ex.Message, StringComparison.Ordinal);
        Assert.Contains("base sweep", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_missing_member_is_named_alone()
    {
        var ex = Assert.Throws<SweepArgumentException>(() => Train("LearningRate=1", "Epochs=2").Apply<OverridesTrain>());

        Assert.Contains("a member without a default: Model.Layers.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Model.Layers", ex.MemberPath);
    }

    [Fact]
    public void A_type_whose_members_all_have_defaults_needs_no_axis()
    {
        var none = SweepOverrides.Parse(OverridesDefaults.Descriptor, []).Apply<OverridesDefaults>();
        Assert.Equal([new OverridesDefaults()], none.ToList());

        var seeds = SweepOverrides.Parse(OverridesDefaults.Descriptor, ["Seed=range(0,3)"]).Apply<OverridesDefaults>();
        Assert.Equal([0, 1, 2], seeds.Select(p => p.Seed));
    }

    [Fact]
    public void With_a_base_each_point_gets_the_override_grid_on_top_of_its_own_fields()
    {
        var baseSweep = Sweep<OverridesTrain>.Of(Point(0.1, 10, 2, width: 128, dataset: "cifar"), Point(0.2, 20, 3));

        var sweep = Train("Model.Layers=8", "Epochs=5,6").Apply(baseSweep);

        Assert.Equal(4, sweep.Count);
        Assert.True(sweep.IsIndexable);
        Assert.Equal(
            [
                Point(0.1, 5, 8, width: 128, dataset: "cifar"),
                Point(0.1, 6, 8, width: 128, dataset: "cifar"),
                Point(0.2, 5, 8),
                Point(0.2, 6, 8),
            ],
            sweep.ToList());
        Assert.Equal(sweep.ToList(), Enumerable.Range(0, 4).Select(i => sweep.ElementAt(i)));
        Assert.StartsWith("Sweep<OverridesTrain>: overrides 1×2 on each point of (", sweep.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Overriding_a_member_the_base_varies_replaces_its_values_instead_of_repeating_points()
    {
        var baseSweep = Sweep<OverridesTrain>.Of(Point(0.1, 1, 2), Point(0.2, 1, 2), Point(0.1, 1, 4), Point(0.2, 1, 4));

        var sweep = Train("LearningRate=0.5,0.6").Apply(baseSweep);

        Assert.Equal(4, sweep.Count);
        Assert.Equal([Point(0.5, 1, 2), Point(0.6, 1, 2), Point(0.5, 1, 4), Point(0.6, 1, 4)], sweep.ToList());
    }

    [Fact]
    public void A_base_too_large_to_check_for_repeats_keeps_them()
    {
        var large = Enumerable.Range(0, (int)OverrideSweep<OverridesTrain>.DistinctBaseLimit + 1).Select(i => Point(i % 2 == 0 ? 0.1 : 0.2, 1, 2)).ToArray();

        var sweep = Train("LearningRate=0.5").Apply(Sweep<OverridesTrain>.Of(large));

        Assert.Equal(large.Length, sweep.Count);
    }

    [Fact]
    public void With_a_base_no_member_needs_an_axis()
    {
        var sweep = Train("Dataset=a,b").Apply(Sweep<OverridesTrain>.Of(Point(0.1, 1, 2)));

        Assert.Equal(["a", "b"], sweep.Select(p => p.Dataset));
    }

    [Fact]
    public void No_axes_with_a_base_return_the_base_itself()
    {
        var baseSweep = Sweep<OverridesTrain>.Of(Point(0.1, 1, 2));

        Assert.Same(baseSweep, Train().Apply(baseSweep));
    }

    [Fact]
    public void A_filtered_base_gives_a_sweep_that_is_not_indexable_but_counts_and_indexes()
    {
        var baseSweep = Sweep<OverridesTrain>.Of(Point(0.1, 1, 2), Point(0.2, 1, 2), Point(0.3, 1, 2)).Where(p => p.LearningRate > 0.15);

        var sweep = Train("Epochs=7,8").Apply(baseSweep);

        Assert.False(sweep.IsIndexable);
        Assert.Equal(4, sweep.Count);
        Assert.Equal(Point(0.3, 8, 2), sweep.ElementAt(3));
        Assert.Equal(sweep.ToList(), Enumerable.Range(0, 4).Select(i => sweep.ElementAt(i)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(4));
        Assert.Contains("[0, 4)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(-1));
    }

    [Fact]
    public void An_index_outside_an_indexable_overridden_sweep_gives_the_valid_range()
    {
        var sweep = Train("Epochs=7,8").Apply(Sweep<OverridesTrain>.Of(Point(0.1, 1, 2)));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sweep.ElementAt(2));
        Assert.Contains("[0, 2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_override_grid_is_counted_and_indexed_without_being_enumerated()
    {
        // 100^5 = 10^10 points: enumerating them would take hours, so Count and ElementAt must not.
        var overrides = Train("LearningRate=range(0,100)", "Epochs=range(0,100)", "Model.Layers=range(0,100)", "Model.Width=range(0,100)", "bs=range(0,100)");
        Assert.Equal(10_000_000_000L, overrides.Count);

        var sweep = overrides.Apply<OverridesTrain>();
        Assert.Equal(10_000_000_000L, sweep.Count);
        Assert.Equal(new OverridesTrain(99, 99, new OverrideModel(99, new OverrideOptimizer(), 99), BatchSize: 99), sweep.ElementAt(sweep.Count - 1));
        Assert.Equal(new OverridesTrain(0, 1, new OverrideModel(2, new OverrideOptimizer(), 3), BatchSize: 4), sweep.ElementAt(1_02_03_04));

        var onBase = overrides.Apply(Sweep<OverridesTrain>.Of(Point(0.1, 1, 2, dataset: "a"), Point(0.2, 1, 2, dataset: "b"), Point(0.3, 1, 2, dataset: "c")));
        Assert.Equal(30_000_000_000L, onBase.Count);
        Assert.Equal(new OverridesTrain(0, 0, new OverrideModel(0, new OverrideOptimizer(), 0), "c", BatchSize: 0), onBase.ElementAt(20_000_000_000L));
        Assert.Equal(new OverridesTrain(99, 99, new OverrideModel(99, new OverrideOptimizer(), 99), "b", BatchSize: 99), onBase.ElementAt(19_999_999_999L));
    }

    [Fact]
    public void A_result_beyond_int64_is_refused_when_it_is_built()
    {
        var huge = Train("LearningRate=range(0,100)", "Epochs=range(0,100)", "Model.Layers=range(0,100)", "Model.Width=range(0,100)", "bs=range(0,100)");

        Assert.Throws<OverflowException>(() => huge.Apply(huge.Apply<OverridesTrain>()));
    }

    [Fact]
    public void A_nullable_group_defaulting_to_null_stays_null_unless_a_field_inside_it_is_set()
    {
        var required = KindsTokens();

        var plain = Assert.Single(Kinds(required).Apply<OverridesKinds>());
        Assert.Null(plain.MaybeModel);

        var set = Assert.Single(Kinds([.. required, "MaybeModel.Layers=3"]).Apply<OverridesKinds>());
        Assert.Equal(new OverrideModel(3, new OverrideOptimizer()), set.MaybeModel);

        var onBase = Assert.Single(Kinds("MaybeModel.Layers=5").Apply(Sweep<OverridesKinds>.Of(plain)));
        Assert.Equal(new OverrideModel(5, new OverrideOptimizer()), onBase.MaybeModel);
    }

    [Fact]
    public void Every_kind_is_rebuilt_from_its_text_by_from_flat()
    {
        var point = Assert.Single(Kinds(KindsTokens()).Apply<OverridesKinds>());

        Assert.True(point.Flag);
        Assert.Equal(-128, point.I8);
        Assert.Equal(255, point.U8);
        Assert.Equal(-3, point.I16);
        Assert.Equal(65535, point.U16);
        Assert.Equal(-7, point.I32);
        Assert.Equal(4_000_000_000u, point.U32);
        Assert.Equal(long.MinValue, point.I64);
        Assert.Equal(ulong.MaxValue, point.U64);
        Assert.Equal(-5, point.NInt);
        Assert.Equal(1e-3, point.D);
        Assert.Equal(0.5f, point.F);
        Assert.Equal(1.50m, point.M);
        Assert.Equal("1.50", point.M.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("hello, world", point.S);
        Assert.Equal('x', point.C);
        Assert.Equal(OverrideActivation.Tanh, point.E);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), point.G);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc), point.When);
        Assert.Equal(DateTimeKind.Utc, point.When.Kind);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)), point.WhenOffset);
        Assert.Equal(TimeSpan.FromHours(2), point.WhenOffset.Offset);
        Assert.Equal(new DateOnly(2024, 5, 1), point.Day);
        Assert.Equal(new TimeOnly(13, 45, 30), point.Time);
        Assert.Equal(new TimeSpan(1, 2, 30, 0), point.Span);
        Assert.Equal(42, point.MaybeInt);
        Assert.Equal("maybe", point.MaybeText);
        Assert.Equal([1, 2.5], point.Doubles);
        Assert.Equal(["a", "b, c"], point.Names);
        Assert.Equal([1, 3], point.Tags.Order());
        Assert.Equal(new Dictionary<string, double> { ["x"] = 1, ["y"] = 0.5 }, point.Weights);
        Assert.Null(point.MaybeModel);
    }

    [Fact]
    public void An_enum_given_as_an_integer_is_read_as_that_value()
    {
        var point = Assert.Single(Kinds([.. KindsTokens().Where(t => !t.StartsWith("E=", StringComparison.Ordinal)), "E=2"]).Apply<OverridesKinds>());

        Assert.Equal(OverrideActivation.Gelu, point.E);
    }

    [Fact]
    public void Overrides_read_for_one_type_cannot_be_applied_to_another()
    {
        var ex = Assert.Throws<ArgumentException>(() => Train("Epochs=1").Apply<OverridesDefaults>());

        Assert.Contains("OverridesTrain", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OverridesDefaults", ex.Message, StringComparison.Ordinal);
    }

    internal static string[] KindsTokens() =>
    [
        "Flag=true", "I8=-128", "U8=255", "I16=-3", "U16=65535", "I32=-7", "U32=4000000000", "I64=-9223372036854775808",
        "U64=18446744073709551615", "NInt=-5", "D=1e-3", "F=0.5", "M=1.50", "S=\"hello, world\"", "C=x", "E=TANH",
        "G=0f8fad5b-d9cb-469f-a165-70867728950e", "When=2024-05-01T12:00:00Z", "WhenOffset=2024-05-01T12:00:00+02:00",
        "Day=2024-05-01", "Time=13:45:30", "Span=1.02:30:00", "MaybeInt=42", "MaybeText=maybe", "Doubles=[1,2.5]",
        "Names=[\"a\",\"b, c\"]", "Tags=[3,1]", "Weights={\"x\":1,\"y\":0.5}",
    ];
}
