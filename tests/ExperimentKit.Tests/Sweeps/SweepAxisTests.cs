namespace ExperimentKit.Tests.Sweeps;

public class SweepAxisTests
{
    [Fact]
    public void A_missing_required_axis_names_the_member_and_the_parameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainParams.Sweep(epochs: [10]));

        Assert.StartsWith(
            "The sweep of 'train' has no values for 'LearningRate', which has no default. Pass them as Sweep(learningRate: [...]).",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Equal("learningRate", ex.ParamName);
    }

    [Fact]
    public void An_empty_required_axis_says_the_sweep_would_have_no_points()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainParams.Sweep(learningRate: [0.1], epochs: []));

        Assert.Contains("'Epochs'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("epochs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no points", ex.Message, StringComparison.Ordinal);
        Assert.Equal("epochs", ex.ParamName);
    }

    [Fact]
    public void An_empty_optional_axis_says_the_sweep_would_have_no_points()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainParams.Sweep(learningRate: [0.1], epochs: [1], dataset: []));

        Assert.Contains("'Dataset'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no points", ex.Message, StringComparison.Ordinal);
        Assert.Contains("leave 'dataset' out", ex.Message, StringComparison.Ordinal);
        Assert.Equal("dataset", ex.ParamName);
    }

    [Fact]
    public void A_missing_optional_axis_sweeps_the_default_alone()
    {
        Assert.Equal(["mnist"], SweepAxis.OrDefault(null, "mnist", "train", "Dataset", "dataset"));
        Assert.Equal(["a", "b"], SweepAxis.OrDefault(["a", "b"], "mnist", "train", "Dataset", "dataset"));
    }

    [Fact]
    public void Axis_values_are_copied()
    {
        double[] rates = [0.1, 0.2];
        var axis = SweepAxis.Required(rates, "train", "LearningRate", "learningRate");
        rates[0] = 9;

        Assert.NotSame(rates, axis);
        Assert.Equal([0.1, 0.2], axis);
    }

    [Fact]
    public void A_generated_style_sweep_crosses_its_axes_in_declaration_order()
    {
        var sweep = TrainParams.Sweep(learningRate: [0.1, 0.01], epochs: [10, 20]);

        Assert.Equal(
            [
                new TrainParams(0.1, 10, "mnist"),
                new TrainParams(0.1, 20, "mnist"),
                new TrainParams(0.01, 10, "mnist"),
                new TrainParams(0.01, 20, "mnist"),
            ],
            sweep.ToList());
        Assert.Equal(new TrainParams(0.01, 10, "mnist"), sweep.ElementAt(2));
    }

    [Fact]
    public void A_generated_style_sweep_composes()
    {
        var sweep = TrainParams.Sweep(learningRate: [0.1, 0.01], epochs: [10, 20], dataset: ["mnist", "cifar"])
            .Where(p => p.Epochs == 20)
            .Concat(Sweep<TrainParams>.Of(new TrainParams(1, 1, "toy")));

        Assert.Equal(5, sweep.Count);
        Assert.Equal(new TrainParams(1, 1, "toy"), sweep.ElementAt(4));
        Assert.Equal(3, sweep.Sample(3, seed: 4).Count);
    }
}
