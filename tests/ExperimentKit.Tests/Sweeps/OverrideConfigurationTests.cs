using System.Text;
using Microsoft.Extensions.Configuration;
using static ExperimentKit.Tests.Sweeps.OverrideParsingTests;

namespace ExperimentKit.Tests.Sweeps;

public class OverrideConfigurationTests
{
    /// <summary>Reads appsettings-style JSON and hands over the section's pairs as the hosting layer will.</summary>
    private static SweepOverrides FromJson(string sweepSection, ParametersDescriptor? descriptor = null)
    {
        var json = $$"""{ "ExperimentKit": { "Sweeps": { "train": {{sweepSection}} } } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var section = configuration.GetSection("ExperimentKit:Sweeps:train");
        return SweepOverrides.FromConfiguration(descriptor ?? OverridesTrain.Descriptor, section.AsEnumerable(makePathsRelative: true));
    }

    private static SweepOverrides FromPairs(params (string Key, string? Value)[] pairs)
        => SweepOverrides.FromConfiguration(OverridesTrain.Descriptor, pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));

    private static void Contains(Exception ex, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Value_strings_use_the_command_line_syntax()
    {
        var overrides = FromJson("""{ "Model.Layers": "2,4", "LearningRate": "1e-3,1e-2", "Epochs": "range(10,50,10)", "Dataset": "\"a, b\",c" }""");

        Assert.Equal(["2", "4"], Values(overrides, "Model.Layers"));
        Assert.Equal(["1e-3", "1e-2"], Values(overrides, "LearningRate"));
        Assert.Equal(["10", "20", "30", "40"], Values(overrides, "Epochs"));
        Assert.Equal(["a, b", "c"], Values(overrides, "Dataset"));
    }

    [Fact]
    public void Axes_come_in_the_members_declaration_order()
    {
        var overrides = FromJson("""{ "Dataset": "a", "Model.Layers": "2,4", "Epochs": "1", "LearningRate": "0.1" }""");

        Assert.Equal(["LearningRate", "Epochs", "Model.Layers", "Dataset"], overrides.Axes.Select(a => a.Path));
    }

    [Fact]
    public void Json_arrays_give_one_value_per_element_in_index_order()
    {
        var overrides = FromJson("""
            {
              "Model.Layers": [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24],
              "LearningRate": ["1e-3", 0.01],
              "Dataset": ["a, b", "\"quoted\"", ""],
              "Epochs": ["range(1,3)", "10"],
              "Model.Activation": ["tanh", "GELU"]
            }
            """);

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (2 * i).ToString(System.Globalization.CultureInfo.InvariantCulture)), Values(overrides, "Model.Layers"));
        Assert.Equal(["1e-3", "0.01"], Values(overrides, "LearningRate"));
        Assert.Equal(["a, b", "quoted", string.Empty], Values(overrides, "Dataset"));
        Assert.Equal(["1", "2", "10"], Values(overrides, "Epochs"));
        Assert.Equal(["Tanh", "Gelu"], Values(overrides, "Model.Activation"));
    }

    [Fact]
    public void Array_elements_are_ordered_by_index_whatever_order_the_pairs_come_in()
    {
        var overrides = FromPairs(("Epochs:10", "3"), ("Epochs:2", "2"), ("Epochs", null), ("Epochs:0", "1"));

        Assert.Equal(["1", "2", "3"], Values(overrides, "Epochs"));
    }

    [Fact]
    public void Nested_objects_name_paths_through_groups()
    {
        var overrides = FromJson("""{ "Model": { "Layers": "2,4", "Optimizer": { "Name": ["sgd", "adam"] } }, "bs": "8" }""");

        Assert.Equal(["Model.Layers", "Model.Optimizer.Name", "bs"], overrides.Axes.Select(a => a.Path));
        Assert.Equal(["sgd", "adam"], Values(overrides, "Model.Optimizer.Name"));
    }

    [Fact]
    public void Collection_members_take_one_json_string_per_value()
    {
        var overrides = FromJson("""{ "Doubles": ["[1,2]", "[3]"], "Weights": "{\"a\":1},{}" }""", OverridesKinds.Descriptor);

        Assert.Equal(["[1,2]", "[3]"], Values(overrides, "Doubles"));
        Assert.Equal(["{\"a\":1}", "{}"], Values(overrides, "Weights"));
    }

    [Fact]
    public void Configuration_overrides_make_the_same_sweep_as_the_command_line()
    {
        var fromConfiguration = FromJson("""{ "LearningRate": "0.1,0.2", "Epochs": [1, 2], "Model": { "Layers": "4" } }""").Apply<OverridesTrain>();
        var fromCommandLine = Train("LearningRate=0.1,0.2", "Epochs=1,2", "Model.Layers=4").Apply<OverridesTrain>();

        Assert.Equal(fromCommandLine.ToList(), fromConfiguration.ToList());
    }

    [Fact]
    public void An_empty_section_makes_no_axes()
    {
        Assert.Empty(FromPairs().Axes);
        Assert.Empty(FromPairs((string.Empty, null)).Axes);
    }

    [Fact]
    public void An_unknown_key_names_the_nearest_member()
        => Contains(Assert.Throws<SweepArgumentException>(() => FromJson("""{ "Model.Layrs": "2" }""")), "'Model.Layrs'", "Did you mean 'Model.Layers'?", "Valid paths:");

    [Fact]
    public void An_unknown_nested_key_names_the_nearest_member()
        => Contains(Assert.Throws<SweepArgumentException>(() => FromJson("""{ "Model": { "Layrs": "2" } }""")), "'Model.Layrs'", "Did you mean 'Model.Layers'?");

    [Fact]
    public void A_bad_value_names_the_member_and_its_type()
        => Contains(Assert.Throws<SweepArgumentException>(() => FromJson("""{ "Workers": [1, 300] }""")), "'Workers' (byte)", "\"300\"", "0 to 255");

    [Fact]
    public void A_path_given_in_both_shapes_is_refused()
    {
        var ex = Assert.Throws<SweepArgumentException>(() => FromPairs(("Model.Layers", "2"), ("Model:Layers", null), ("Model:Layers:0", "4")));

        Contains(ex, "'Model.Layers' is given twice", "configuration key 'Model.Layers'", "configuration key 'Model:Layers:0'");
    }

    [Fact]
    public void Nested_arrays_are_refused_with_the_shape_to_use()
    {
        var ex = Assert.Throws<SweepArgumentException>(() => FromJson("""{ "Doubles": [[1, 2], [3]] }""", OverridesKinds.Descriptor));

        Contains(ex, "nested array", "\"Doubles\": [\"[64,64]\", \"[128]\"]");
    }

    [Fact]
    public void An_empty_array_is_refused()
        => Contains(Assert.Throws<SweepArgumentException>(() => FromPairs(("Epochs", null))), "'Epochs'", "gives no values", "(int)");

    [Fact]
    public void An_empty_value_is_refused()
        => Contains(Assert.Throws<SweepArgumentException>(() => FromJson("""{ "Epochs": "" }""")), "'Epochs'", "gives no values for 'Epochs' (int)");

    [Fact]
    public void A_whole_group_is_refused()
        => Contains(Assert.Throws<SweepArgumentException>(() => FromJson("""{ "Model": "2" }""")), "'Model' is a parameter group", "Model.Layers=a,b");
}
