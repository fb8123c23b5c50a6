using System.Globalization;

namespace ExperimentKit.Tests.Sweeps;

public class OverrideParsingTests
{
    internal static SweepOverrides Train(params string[] tokens) => SweepOverrides.Parse(OverridesTrain.Descriptor, tokens);

    internal static SweepOverrides Kinds(params string[] tokens) => SweepOverrides.Parse(OverridesKinds.Descriptor, tokens);

    internal static IReadOnlyList<string> Values(SweepOverrides overrides, string path)
        => Assert.Single(overrides.Axes, a => a.Path == path).RawValues;

    private static double[] Doubles(IEnumerable<string> values)
        => [.. values.Select(static v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];

    [Fact]
    public void A_comma_separated_list_becomes_one_axis_per_token_in_the_order_given()
    {
        var overrides = Train("Model.Layers=2,4", "LearningRate=1e-3,1e-2", "Dataset=mnist");

        Assert.Equal(["Model.Layers", "LearningRate", "Dataset"], overrides.Axes.Select(a => a.Path));
        Assert.Equal(["2", "4"], Values(overrides, "Model.Layers"));
        Assert.Equal(["1e-3", "1e-2"], Values(overrides, "LearningRate"));
        Assert.Equal(["mnist"], Values(overrides, "Dataset"));
        Assert.Equal(4, overrides.Count);
        Assert.Same(OverridesTrain.Descriptor, overrides.Descriptor);
    }

    [Theory]
    [InlineData("learningrate=0.1", "LearningRate")]
    [InlineData("LEARNINGRATE=0.1", "LearningRate")]
    [InlineData("BatchSize=16", "bs")]
    [InlineData("bs=16", "bs")]
    [InlineData("BS=16", "bs")]
    [InlineData("model.layers=2", "Model.Layers")]
    [InlineData("MODEL.optimizer.NAME=sgd", "Model.Optimizer.Name")]
    [InlineData(" Model . Width =8", "Model.Width")]
    public void Paths_take_csharp_or_hash_names_in_any_case_and_resolve_to_flat_hash_paths(string token, string path)
        => Assert.Equal(path, Assert.Single(Train(token).Axes).Path);

    [Fact]
    public void Values_are_trimmed_and_integers_are_written_canonically()
    {
        Assert.Equal(["1", "2", "7", "-3"], Values(Train("Epochs= 1 , 2 ,+7,-3 "), "Epochs"));
    }

    [Fact]
    public void A_value_may_contain_equals_signs_after_the_first()
    {
        Assert.Equal(["a=b", "c"], Values(Train("Dataset=a=b,c"), "Dataset"));
    }

    [Fact]
    public void Quoted_strings_stay_whole_and_lose_their_quotes()
    {
        var values = Values(Train("Dataset=\"a, b\",plain,\"say \\\"hi\\\"\",\"\",\"range(1,3)\""), "Dataset");

        Assert.Equal(["a, b", "plain", "say \"hi\"", string.Empty, "range(1,3)"], values);
    }

    [Fact]
    public void Json_array_and_object_values_stay_whole()
    {
        var overrides = Kinds("Doubles=[1,2],[3.5],[]", "Weights={\"a\":1,\"b,c\":2},{}", "Names=[\"x, y\",\"z\"]", "Tags=[3,1]");

        Assert.Equal(["[1,2]", "[3.5]", "[]"], Values(overrides, "Doubles"));
        Assert.Equal(["{\"a\":1,\"b,c\":2}", "{}"], Values(overrides, "Weights"));
        Assert.Equal(["[\"x, y\",\"z\"]"], Values(overrides, "Names"));
        Assert.Equal(["[3,1]"], Values(overrides, "Tags"));
    }

    [Fact]
    public void Enum_names_match_in_any_case_and_take_their_declared_spelling()
    {
        Assert.Equal(["Tanh", "Gelu", "Relu", "2", "Gelu"], Values(Train("Model.Activation=tanh,GELU,Relu,2,\"gelu\""), "Model.Activation"));
    }

    [Fact]
    public void Booleans_match_in_any_case_and_are_written_in_lower_case()
    {
        Assert.Equal(["true", "false"], Values(Train("Augment=TRUE,False"), "Augment"));
    }

    [Fact]
    public void Range_of_integers_excludes_its_stop_like_python()
    {
        Assert.Equal(["10", "20", "30", "40"], Values(Train("Epochs=range(10,50,10)"), "Epochs"));
        Assert.Equal(["0", "1", "2"], Values(Train("Epochs=range(0,3)"), "Epochs"));
        Assert.Equal(["10", "20", "30", "40", "50"], Values(Train("Epochs=range(10,51,10)"), "Epochs"));
    }

    [Fact]
    public void Range_counts_down_with_a_negative_step()
    {
        Assert.Equal(["5", "3", "1"], Values(Train("Epochs=range(5,0,-2)"), "Epochs"));
        Assert.Equal(["5", "4"], Values(Train("Epochs=range(5,3,-1)"), "Epochs"));
    }

    [Fact]
    public void Range_of_decimals_is_exact()
    {
        Assert.Equal([0, 0.25, 0.5, 0.75], Doubles(Values(Train("LearningRate=range(0,1,0.25)"), "LearningRate")));
        Assert.Equal([0, 0.1, 0.2], Doubles(Values(Train("LearningRate=range(0,0.3,0.1)"), "LearningRate")));
        Assert.Equal([0.001, 0.002, 0.003], Doubles(Values(Train("LearningRate=range(1e-3,4e-3,1e-3)"), "LearningRate")));
        Assert.Equal([1, 0.5], Doubles(Values(Train("LearningRate=range(1,0,-0.5)"), "LearningRate")));
    }

    [Fact]
    public void Range_beyond_decimal_falls_back_to_doubles()
    {
        Assert.Equal([0, 3e29, 6e29, 9e29], Doubles(Values(Train("LearningRate=range(0,1e30,3e29)"), "LearningRate")));
    }

    [Fact]
    public void Linspace_includes_both_ends()
    {
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], Doubles(Values(Train("LearningRate=linspace(0,1,5)"), "LearningRate")));
        var thirds = Doubles(Values(Train("LearningRate=linspace(0,1,4)"), "LearningRate"));
        Assert.Equal([0, 1.0 / 3, 2.0 / 3, 1], thirds);
        Assert.Equal(["10", "20", "30", "40", "50"], Values(Train("Epochs=linspace(10,50,5)"), "Epochs"));
        Assert.Equal(["2"], Values(Train("Epochs=linspace(2,9,1)"), "Epochs"));
        Assert.Equal([1, 0.5, 0], Doubles(Values(Train("LearningRate=linspace(1,0,3)"), "LearningRate")));
    }

    [Fact]
    public void Logspace_gives_powers_of_ten_from_both_exponents()
    {
        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1], Doubles(Values(Train("LearningRate=logspace(-4,-1,4)"), "LearningRate")));
        Assert.Equal(["1", "10", "100"], Values(Train("Workers=logspace(0,2,3)"), "Workers"));
        var halves = Doubles(Values(Train("LearningRate=logspace(0,1,3)"), "LearningRate"));
        Assert.Equal(1, halves[0]);
        Assert.Equal(Math.Sqrt(10), halves[1], 12);
        Assert.Equal(10, halves[2]);
    }

    [Fact]
    public void Generators_and_plain_values_mix_in_one_list()
    {
        Assert.Equal(["1", "5", "6", "10"], Values(Train("Epochs=1,range(5,7),10"), "Epochs"));
        Assert.Equal(["1", "2"], Values(Train("Epochs=RANGE( 1 , 3 )"), "Epochs"));
    }

    [Fact]
    public void Text_kinds_are_read_with_the_invariant_culture()
    {
        var overrides = Kinds(
            "G=0f8fad5b-d9cb-469f-a165-70867728950e",
            "When=2024-05-01T12:00:00Z",
            "WhenOffset=2024-05-01T12:00:00+02:00",
            "Day=2024-05-01",
            "Time=13:45:00",
            "Span=01:30:00,1.02:00:00",
            "C=x,\",\"",
            "M=1.50,2",
            "F=0.5",
            "NInt=-5",
            "U64=18446744073709551615",
            "I8=-128");

        Assert.Equal(["01:30:00", "1.02:00:00"], Values(overrides, "Span"));
        Assert.Equal(["x", ","], Values(overrides, "C"));
        Assert.Equal(["1.50", "2"], Values(overrides, "M"));
        Assert.Equal(["18446744073709551615"], Values(overrides, "U64"));
    }

    [Fact]
    public void Nan_and_infinity_are_allowed_only_for_unhashed_members_and_are_refused_here()
    {
        var ex = Assert.Throws<SweepArgumentException>(() => Train("LearningRate=NaN"));
        Assert.Contains("not finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_axis_prints_as_a_token_that_parses_back_to_the_same_values()
    {
        var overrides = Kinds(
            "S=\"a, b\",plain,\" padded \",\"\",\"say \\\"hi\\\"\",\"(x)\",\"[x\"",
            "Doubles=[1,2],[3]",
            "Weights={\"a\":1}",
            "E=tanh",
            "D=range(0,1,0.5)");

        var again = SweepOverrides.Parse(OverridesKinds.Descriptor, overrides.Axes.Select(a => a.ToString()));

        Assert.Equal(overrides.Axes.Select(a => a.Path), again.Axes.Select(a => a.Path));
        for (var i = 0; i < overrides.Axes.Count; i++)
        {
            Assert.Equal(overrides.Axes[i].RawValues, again.Axes[i].RawValues);
        }

        Assert.Equal("Doubles=[1,2],[3]", overrides.Axes[1].ToString());
        Assert.Equal("E=Tanh", overrides.Axes[3].ToString());
        Assert.Equal(overrides.ToString(), again.ToString());
    }

    [Fact]
    public void No_tokens_make_no_axes_and_one_combination()
    {
        var overrides = Train();

        Assert.Empty(overrides.Axes);
        Assert.Equal(1, overrides.Count);
        Assert.Equal(string.Empty, overrides.ToString());
    }

    [Fact]
    public void Count_is_the_product_of_the_axis_sizes()
    {
        Assert.Equal(2 * 3 * 4, Train("LearningRate=1,2", "Epochs=range(0,3)", "Model.Layers=linspace(1,4,4)").Count);
    }
}
