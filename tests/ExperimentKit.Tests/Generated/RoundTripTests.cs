using System.Text.Json;

namespace ExperimentKit.Tests.Generated;

/// <summary>Exact JSON and flat fields give back the very record that went in.</summary>
public class RoundTripTests
{
    [Fact]
    public void Exact_json_round_trips_every_member_type()
    {
        var sink = KitchenSinks.Full();
        var json = ParameterJson.Serialize(sink);
        var back = ParameterJson.Deserialize<KitchenSink>(json);

        // Records compare collections by reference, so compare exact JSON and hashes instead.
        Assert.Equal(json, ParameterJson.Serialize(back));
        Assert.Equal(sink.ComputeHash(), back.ComputeHash());
        Assert.Equal(sink.S, back.S);
        Assert.Equal(sink.When, back.When);
        Assert.Equal(sink.When.Kind, back.When.Kind);
        Assert.Equal(sink.WhenOffset, back.WhenOffset);
        Assert.Equal(sink.Time, back.Time);
        Assert.Equal(sink.M, back.M);
        Assert.Equal("1.50", back.M.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0.1 + 0.2)]
    [InlineData(-0.0)]
    [InlineData(5e-324)]
    [InlineData(double.MaxValue)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1.0000000000000002)]
    public void Exact_json_keeps_doubles_bit_for_bit(double value)
    {
        var p = new TrainParams(value, 1, new ModelSpec(1, 1, Dropout: value), "d");
        var back = ParameterJson.Deserialize<TrainParams>(ParameterJson.Serialize(p));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back.LearningRate));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(back.Model.Dropout));
    }

    [Fact]
    public void Exact_json_keeps_not_hashed_members()
    {
        var p = new TrainParams(0.1, 3, new ModelSpec(2, 8), LoaderThreads: 16);
        Assert.Equal(p, ParameterJson.Deserialize<TrainParams>(ParameterJson.Serialize(p)));
    }

    [Fact]
    public void Exact_json_missing_member_with_default_takes_the_default_and_unknown_members_are_ignored()
    {
        var back = ParameterJson.Deserialize<TrainParams>(
            """{"LearningRate":0.5,"Epochs":2,"Model":{"Layers":1,"Width":2},"Retired":"old member"}""");
        Assert.Equal(new TrainParams(0.5, 2, new ModelSpec(1, 2)), back);
    }

    [Fact]
    public void Exact_json_missing_required_member_names_it()
    {
        var error = Assert.Throws<JsonException>(() => ParameterJson.Deserialize<TrainParams>("""{"LearningRate":0.5,"Model":{"Layers":1,"Width":2}}"""));
        Assert.Contains("'Epochs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exact_json_bad_value_names_the_member_and_the_problem()
    {
        var error = Assert.Throws<JsonException>(() => ParameterJson.Deserialize<TrainParams>(
            """{"LearningRate":0.5,"Epochs":"ten","Model":{"Layers":1,"Width":2}}"""));
        Assert.Contains("'Epochs'", error.Message, StringComparison.Ordinal);

        var enumError = Assert.Throws<JsonException>(() => ParameterJson.Deserialize<TrainParams>(
            """{"LearningRate":0.5,"Epochs":1,"Model":{"Layers":1,"Width":2,"Activation":"Sigmoid"}}"""));
        Assert.Contains("Sigmoid", enumError.Message, StringComparison.Ordinal);
        Assert.Contains("Relu, Tanh, Gelu", enumError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flat_fields_use_dotted_paths_for_groups_and_one_json_value_for_collections()
    {
        var flat = KitchenSinks.Full().ToFlat();
        Assert.Equal(int.MinValue, flat["I32"]);
        Assert.Equal(Activation.Tanh, flat["E"]);
        Assert.Null(flat["MaybeModel"]);
        Assert.Equal(JsonValueKind.Array, ((JsonElement)flat["Doubles"]!).ValueKind);
        Assert.Equal("""[{"Layers":1,"Width":8,"Activation":"Relu","Dropout":0},{"Layers":2,"Width":16,"Activation":"Gelu","Dropout":0.5}]""", ((JsonElement)flat["Models"]!).GetRawText());

        var train = new TrainParams(0.1, 3, new ModelSpec(4, 64)).ToFlat();
        Assert.Equal(4, train["Model.Layers"]);
        Assert.Equal(Activation.Relu, train["Model.Activation"]);
        Assert.Equal(4, train["LoaderThreads"]);
    }

    [Fact]
    public void From_flat_rebuilds_the_exact_record()
    {
        var sink = KitchenSinks.Full();
        var back = KitchenSink.FromFlat(sink.ToFlat());
        Assert.Equal(ParameterJson.Serialize(sink), ParameterJson.Serialize(back));

        var init = new InitOnly { Alpha = 0.25, Beta = 9, Gamma = "x", Origin = new Point(3, 4) };
        var initBack = InitOnly.FromFlat(init.ToFlat());
        Assert.Equal(ParameterJson.Serialize(init), ParameterJson.Serialize(initBack));
    }

    [Fact]
    public void From_flat_accepts_values_as_read_back_from_json_text()
    {
        // What a ledger gives back: every flat value as a JsonElement.
        var p = new TrainParams(0.1, 3, new ModelSpec(4, 64, Activation.Gelu), "cifar", Augment: true);
        var flatJson = JsonSerializer.Serialize(p.ToFlat().ToDictionary(kv => kv.Key, kv => kv.Value is Activation a ? a.ToString() : kv.Value));
        var fromJson = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(flatJson)!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        Assert.Equal(p, TrainParams.FromFlat(fromJson));
    }

    [Fact]
    public void From_flat_uses_defaults_for_missing_members_and_names_missing_required_ones()
    {
        var minimal = new Dictionary<string, object?>
        {
            ["LearningRate"] = 0.5,
            ["Epochs"] = 7L,
            ["Model.Layers"] = 2,
            ["Model.Width"] = 3,
        };
        Assert.Equal(new TrainParams(0.5, 7, new ModelSpec(2, 3)), TrainParams.FromFlat(minimal));

        minimal.Remove("Model.Width");
        var error = Assert.Throws<ParameterValueException>(() => TrainParams.FromFlat(minimal));
        Assert.Equal("Model.Width", error.MemberPath);
    }

    [Fact]
    public void From_flat_rejects_values_of_the_wrong_type_with_the_path()
    {
        var flat = new TrainParams(0.5, 7, new ModelSpec(2, 3)).ToFlat().ToDictionary();
        flat["Model.Layers"] = 3.5;
        var error = Assert.Throws<ParameterValueException>(() => TrainParams.FromFlat(flat));
        Assert.Equal("Model.Layers", error.MemberPath);

        flat["Model.Layers"] = long.MaxValue;
        Assert.Throws<ParameterValueException>(() => TrainParams.FromFlat(flat));
    }

    [Fact]
    public void Descriptor_describes_members_components_and_defaults()
    {
        var d = TrainParams.Descriptor;
        Assert.Equal("train", d.ExperimentName);
        Assert.Equal(1, d.Version);
        Assert.Equal(["data", "model", "params"], d.Components);
        var threads = d.FindMember("loaderThreads")!;
        Assert.False(threads.IsHashed);
        Assert.Equal(4, threads.DefaultValue);
        Assert.Equal(ParameterKind.Group, d.FindMember("Model")!.Kind);
        Assert.Equal(["Relu", "Tanh", "Gelu"], d.FindMember("Model")!.Group!.FindMember("Activation")!.EnumNames);
        Assert.Equal("gamma", InitOnly.Descriptor.FindMember("Gamma")!.HashName);
        Assert.False(InitOnly.Descriptor.FindMember("Twice")!.IsSettable);
        Assert.Equal("kitchen/sink", KitchenSink.Descriptor.ExperimentName);
        Assert.Equal("InitOnly", InitOnly.Descriptor.ExperimentName);
        Assert.Equal("nested", Outer.Nested.Descriptor.ExperimentName);
    }
}
