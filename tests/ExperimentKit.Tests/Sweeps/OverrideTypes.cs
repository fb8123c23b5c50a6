namespace ExperimentKit.Tests.Sweeps;

public enum OverrideActivation
{
    Relu,
    Tanh,
    Gelu,
}

[ParameterGroup]
public partial record OverrideOptimizer(string Name = "adam", double Beta = 0.9);

[ParameterGroup]
public partial record OverrideModel(
    int Layers,
    OverrideOptimizer Optimizer,
    int Width = 64,
    OverrideActivation Activation = OverrideActivation.Relu);

/// <summary>Required members, a nested group two levels deep, a hash name, a byte and a computed member.</summary>
[Experiment("overrides-train")]
public partial record OverridesTrain(
    double LearningRate,
    int Epochs,
    OverrideModel Model,
    string Dataset = "mnist",
    byte Workers = 4,
    [property: HashName("bs")] int BatchSize = 32,
    bool Augment = false)
{
    public double Twice => LearningRate * 2;
}

/// <summary>One member of every kind the overrides read from text.</summary>
[Experiment("overrides-kinds")]
public partial record OverridesKinds(
    bool Flag,
    sbyte I8,
    byte U8,
    short I16,
    ushort U16,
    int I32,
    uint U32,
    long I64,
    ulong U64,
    nint NInt,
    double D,
    float F,
    decimal M,
    string S,
    char C,
    OverrideActivation E,
    Guid G,
    DateTime When,
    DateTimeOffset WhenOffset,
    DateOnly Day,
    TimeOnly Time,
    TimeSpan Span,
    int? MaybeInt,
    string? MaybeText,
    double[] Doubles,
    List<string> Names,
    HashSet<int> Tags,
    Dictionary<string, double> Weights,
    OverrideModel? MaybeModel = null);

/// <summary>Every member has a default: overrides alone make a sweep.</summary>
[Experiment("overrides-defaults")]
public partial record OverridesDefaults(int Seed = 0, string Mode = "fast");
