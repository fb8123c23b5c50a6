using CsCheck;

namespace ExperimentKit.Tests.Generated;

/// <summary>Properties over random parameter values (CsCheck shrinks any counterexample).</summary>
public class PropertyTests
{
    private static readonly Gen<double> AnyFinite = Gen.Double.Where(double.IsFinite);

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 12];

    private static readonly Gen<ModelSpec> Models = Gen.Select(
        Gen.Int, Gen.Int, Gen.Enum<Activation>(), AnyFinite,
        (layers, width, activation, dropout) => new ModelSpec(layers, width, activation, dropout));

    private static readonly Gen<TrainParams> Trains = Gen.Select(
        AnyFinite, Gen.Int, Models, AnyText, Gen.Bool, Gen.Int,
        (lr, epochs, model, data, augment, threads) => new TrainParams(lr, epochs, model, data, augment, threads));

    [Fact]
    public void From_flat_of_to_flat_is_the_same_record()
        => Trains.Sample(p => Assert.Equal(p, TrainParams.FromFlat(p.ToFlat())));

    [Fact]
    public void Exact_json_round_trips_the_same_record()
        => Trains.Sample(p => Assert.Equal(p, ParameterJson.Deserialize<TrainParams>(ParameterJson.Serialize(p))));

    [Fact]
    public void Equal_records_built_separately_hash_equal()
        => Trains.Sample(p =>
        {
            var copy = new TrainParams(p.LearningRate, p.Epochs, new ModelSpec(p.Model.Layers, p.Model.Width, p.Model.Activation, p.Model.Dropout), new string(p.Dataset.AsSpan()), p.Augment, p.LoaderThreads);
            Assert.Equal(p.ComputeHash(), copy.ComputeHash());
            Assert.Equal(p.ToCanonicalJson(), copy.ToCanonicalJson());
        });

    [Fact]
    public void Not_hashed_members_never_change_the_hash()
        => Gen.Select(Trains, Gen.Int).Sample((p, threads) =>
            Assert.Equal(p.ComputeHash(), (p with { LoaderThreads = threads }).ComputeHash()));

    [Fact]
    public void Member_order_in_source_does_not_change_the_hash()
        => Gen.Select(AnyFinite, Gen.Int, AnyText, Gen.Bool).Sample((x, y, z, w) =>
            Assert.Equal(new OrderA(x, y, z, w).ComputeHash(), new OrderB(w, z, x, y).ComputeHash()));

    [Fact]
    public void Adding_an_omit_if_default_member_left_at_its_default_keeps_every_hash()
        => Gen.Select(AnyFinite, Gen.Int).Sample((rate, steps) =>
            Assert.Equal(new EvolveV1(rate, steps).ComputeHash(), new EvolveV2(rate, steps).ComputeHash()));

    [Fact]
    public void An_omit_if_default_member_set_away_from_its_default_changes_the_hash()
        => Gen.Select(AnyFinite, Gen.Int, Gen.Int.Where(w => w != 0)).Sample((rate, steps, warmup) =>
            Assert.NotEqual(new EvolveV1(rate, steps).ComputeHash(), new EvolveV2(rate, steps, warmup).ComputeHash()));

    [Fact]
    public void Renaming_a_member_with_hash_name_keeps_the_hash()
        => Gen.Select(AnyFinite, Gen.Int).Sample((rate, steps) =>
            Assert.Equal(new EvolveV1(rate, steps).ComputeHash(), new Renamed(rate, steps).ComputeHash()));

    [Fact]
    public void Values_equal_after_the_float_rule_hash_equal()
        => Gen.Select(Trains, Gen.Double[-1e-14, 1e-14]).Sample((p, noise) =>
        {
            // 12 significant digits: a relative nudge far below that is invisible (unless it crosses a rounding boundary).
            var nudged = p.LearningRate * (1 + noise);
            if (CanonicalFloat.Round(nudged) == CanonicalFloat.Round(p.LearningRate))
            {
                Assert.Equal(p.ComputeHash(), (p with { LearningRate = nudged }).ComputeHash());
            }
        });

    [Fact]
    public void Different_parameters_hash_differently()
        => Gen.Select(Trains, Trains).Sample((a, b) =>
        {
            if (a.ToCanonicalJson() != b.ToCanonicalJson())
            {
                Assert.NotEqual(a.ComputeHash(), b.ComputeHash());
            }
        });
}
