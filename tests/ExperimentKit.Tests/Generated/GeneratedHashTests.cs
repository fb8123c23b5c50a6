using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ExperimentKit.Tests.Generated;

/// <summary>The generated hashing members agree with canonical hash v1 written out by hand.</summary>
public class GeneratedHashTests
{
    private static readonly TrainParams Sample = new(1e-3, 10, new ModelSpec(2, 64), "mnist");

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Canonical_json_sorts_members_and_leaves_out_not_hashed_and_omitted_defaults()
    {
        Assert.Equal(
            """{"Dataset":"mnist","Epochs":10,"LearningRate":0.001,"Model":{"Activation":"Relu","Dropout":0.0,"Layers":2,"Width":64}}""",
            Sample.ToCanonicalJson());
    }

    [Fact]
    public void Hash_is_the_first_16_hex_of_the_sha256_of_the_canonical_json()
    {
        var expected = Sha256Hex(Sample.ToCanonicalJson());
        var hash = Sample.ComputeHash();
        Assert.Equal(expected, hash.ToSha256String());
        Assert.Equal(expected[..16], hash.ToString());
    }

    [Fact]
    public void Omit_if_default_member_appears_once_it_differs_from_its_default()
    {
        var augmented = Sample with { Augment = true };
        Assert.Contains("\"Augment\":true", augmented.ToCanonicalJson(), StringComparison.Ordinal);
        Assert.NotEqual(Sample.ComputeHash(), augmented.ComputeHash());
    }

    [Fact]
    public void Not_hashed_member_never_changes_the_hash()
    {
        Assert.Equal(Sample.ComputeHash(), (Sample with { LoaderThreads = 32 }).ComputeHash());
    }

    [Fact]
    public void Component_hashes_hash_each_component_on_its_own()
    {
        var components = Sample.ComputeComponentHashes();
        Assert.Equal(["data", "model", "params"], components.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Sha256Hex("\"mnist\"")[..8], components["data"]);
        Assert.Equal(Sha256Hex("""{"Activation":"Relu","Dropout":0.0,"Layers":2,"Width":64}""")[..8], components["model"]);
        Assert.Equal(Sha256Hex("""{"Epochs":10,"LearningRate":0.001}""")[..8], components["params"]);
    }

    [Fact]
    public void Changing_the_model_changes_only_the_model_component()
    {
        var a = Sample.ComputeComponentHashes();
        var b = (Sample with { Model = new ModelSpec(4, 64) }).ComputeComponentHashes();
        Assert.NotEqual(a["model"], b["model"]);
        Assert.Equal(a["params"], b["params"]);
        Assert.Equal(a["data"], b["data"]);
    }

    [Fact]
    public void Ieee_noise_does_not_change_the_hash()
    {
        Assert.Equal(
            (Sample with { LearningRate = 0.3 }).ComputeHash(),
            (Sample with { LearningRate = 0.1 + 0.2 }).ComputeHash());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_value_is_rejected_with_the_member_path(double bad)
    {
        var error = Assert.Throws<ParameterValueException>(() => (Sample with { Model = new ModelSpec(2, 64, Dropout: bad) }).ComputeHash());
        Assert.Equal("Model.Dropout", error.MemberPath);
        Assert.Contains("Model.Dropout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_value_in_a_component_is_rejected_with_the_member_path()
    {
        var error = Assert.Throws<ParameterValueException>(() => (Sample with { Model = new ModelSpec(2, 64, Dropout: double.NaN) }).ComputeComponentHashes());
        Assert.Equal("Model.Dropout", error.MemberPath);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("ar-SA")]
    public void Hash_does_not_depend_on_the_current_culture(string culture)
    {
        var invariant = RunIn(CultureInfo.InvariantCulture, () => KitchenSinks.Full().ToCanonicalJson());
        var local = RunIn(CultureInfo.GetCultureInfo(culture), () => KitchenSinks.Full().ToCanonicalJson());
        Assert.Equal(invariant, local);
    }

    [Fact]
    public void Hashing_allocates_nothing_but_the_result()
    {
        var p = Sample;
        p.ComputeHash();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            p.ComputeHash();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Class_with_init_members_hashes_computed_members_and_hash_names()
    {
        var p = new InitOnly { Alpha = 0.5, Origin = new Point(1, 2) };
        Assert.Equal("""{"Alpha":0.5,"Origin":{"X":1.0,"Y":2.0},"Twice":1.0,"gamma":"g"}""", p.ToCanonicalJson());
        Assert.Contains("\"Beta\":4", new InitOnly { Alpha = 0.5, Beta = 4 }.ToCanonicalJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_hashes_by_name_and_ambiguous_or_unnamed_values_by_number()
    {
        var sink = KitchenSinks.Full();
        Assert.Contains("\"E\":\"Tanh\"", sink.ToCanonicalJson(), StringComparison.Ordinal);
        Assert.Contains("\"Flags\":\"Both\"", (sink with { Flags = Features.Augment | Features.Shuffle }).ToCanonicalJson(), StringComparison.Ordinal);
        Assert.Contains("\"Flags\":\"Augment\"", (sink with { Flags = Features.Augment }).ToCanonicalJson(), StringComparison.Ordinal);
        // Shuffle and Alias share the value 2: the name would be ambiguous, so the number is used.
        Assert.Contains("\"Flags\":2", (sink with { Flags = Features.Shuffle }).ToCanonicalJson(), StringComparison.Ordinal);
        Assert.Contains("\"Flags\":12", (sink with { Flags = (Features)12 }).ToCanonicalJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sets_hash_in_canonical_order_whatever_their_insertion_order()
    {
        var a = KitchenSinks.Full() with { Tags = ["b", "a", "c"] };
        var b = KitchenSinks.Full() with { Tags = ["c", "b", "a"] };
        Assert.Equal(a.ComputeHash(), b.ComputeHash());
        Assert.Contains("\"Tags\":[\"a\",\"b\",\"c\"]", a.ToCanonicalJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dictionaries_hash_as_objects_with_sorted_string_keys()
    {
        var json = KitchenSinks.Full().ToCanonicalJson();
        Assert.Contains("\"ByNumber\":{\"10\":\"ten\",\"9\":\"nine\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"ByActivation\":{\"Gelu\":3,\"Relu\":1}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_in_the_hashing_docs_gives_the_documented_hash()
    {
        var p = new DocTrain(10, 0.1 + 0.2, DocOptimizer.Adam, [64, 32], ["vision", "baseline"]);
        Assert.Equal("""{"Epochs":10,"Layers":[64,32],"LearningRate":0.3,"Optimizer":"Adam","Tags":["baseline","vision"]}""", p.ToCanonicalJson());
        Assert.Equal("6bbe9a1a9aacaf42", p.ComputeHash().ToString());
    }

    private static T RunIn<T>(CultureInfo culture, Func<T> action)
    {
        var (c, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = c;
            CultureInfo.CurrentUICulture = ui;
        }
    }
}
