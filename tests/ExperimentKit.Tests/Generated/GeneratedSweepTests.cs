namespace ExperimentKit.Tests.Generated;

/// <summary>The generated typed <c>Sweep(...)</c> factories.</summary>
public class GeneratedSweepTests
{
    [Fact]
    public void Sweep_is_the_cartesian_product_in_declaration_order_with_defaults_for_missing_members()
    {
        var sweep = TrainParams.Sweep(learningRate: [1e-3, 1e-2], epochs: [10], model: [new(2, 64), new(4, 64)]);
        Assert.Equal(4, sweep.Count);
        Assert.Equal(
            [
                new TrainParams(1e-3, 10, new ModelSpec(2, 64)),
                new TrainParams(1e-3, 10, new ModelSpec(4, 64)),
                new TrainParams(1e-2, 10, new ModelSpec(2, 64)),
                new TrainParams(1e-2, 10, new ModelSpec(4, 64)),
            ],
            sweep.ToList());
        Assert.All(sweep, p => Assert.Equal("mnist", p.Dataset));
    }

    [Fact]
    public void Sweep_without_values_for_a_member_without_default_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainParams.Sweep(learningRate: [0.1], model: [new(1, 1)]));
        Assert.Contains("Epochs", error.Message, StringComparison.Ordinal);
        Assert.Contains("epochs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Groups_have_sweeps_too_and_compose()
    {
        var models = ModelSpec.Sweep(layers: [2, 4], width: [64, 128], activation: [Activation.Relu, Activation.Gelu]);
        var sweep = TrainParams.Sweep(learningRate: [0.1], epochs: [1], model: models);
        Assert.Equal(8, sweep.Count);
        Assert.Equal(8, sweep.Select(p => p.ComputeHash()).Distinct().Count());
    }

    [Fact]
    public void Init_only_classes_sweep_through_their_initializers()
    {
        var sweep = InitOnly.Sweep(alpha: [0.1, 0.2], origin: [new Point(0, 0)]);
        Assert.Equal([3, 3], sweep.Select(p => p.Beta));
        Assert.Equal([0.1, 0.2], sweep.Select(p => p.Alpha));
    }

    [Fact]
    public void Huge_sweeps_are_not_materialised()
    {
        var range = Enumerable.Range(0, 1000).ToArray();
        var sweep = ModelSpec.Sweep(layers: range, width: range, dropout: range.Select(i => i / 1000.0));
        Assert.Equal(1_000_000_000, sweep.Count);
        Assert.Equal(new ModelSpec(999, 999, Dropout: 0.999), sweep.ElementAt(sweep.Count - 1));
        Assert.Equal(10, sweep.Sample(10, seed: 1).Count());
    }
}
