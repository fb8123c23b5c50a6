using System.Collections.Immutable;

namespace ExperimentKit.Tests.Generated;

public enum Activation
{
    Relu,
    Tanh,
    Gelu,
}

[Flags]
public enum Features : ulong
{
    None = 0,
    Augment = 1,
    Shuffle = 2,
    Both = Augment | Shuffle,
    Alias = 2,
}

[ParameterGroup]
public partial record ModelSpec(int Layers, int Width, Activation Activation = Activation.Relu, double Dropout = 0.0);

[Experiment("train", Version = 1)]
public partial record TrainParams(
    double LearningRate,
    int Epochs,
    [property: Component("model")] ModelSpec Model,
    [property: Component("data")] string Dataset = "mnist",
    [property: OmitIfDefault] bool Augment = false,
    [property: NotHashed] int LoaderThreads = 4);

/// <summary>Every member type canonical hash v1 supports.</summary>
[Experiment("kitchen/sink")]
public partial record KitchenSink(
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
    Activation E,
    Features Flags,
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
    IReadOnlyList<int> Ro,
    IEnumerable<long> Seq,
    ImmutableArray<int> Imm,
    HashSet<string> Tags,
    SortedSet<int> Sorted,
    Dictionary<string, double> Weights,
    IReadOnlyDictionary<Activation, int> ByActivation,
    Dictionary<int, string> ByNumber,
    ModelSpec? MaybeModel,
    List<ModelSpec> Models,
    int[][] Jagged);

/// <summary>A class with init properties and a computed member, and a struct group.</summary>
[Experiment]
public partial class InitOnly
{
    public required double Alpha { get; init; }

    [OmitIfDefault]
    public int Beta { get; init; } = 3;

    [HashName("gamma")]
    public string Gamma { get; init; } = "g";

    public Point Origin { get; init; }

    public double Twice => Alpha * 2;
}

[ParameterGroup]
public partial record struct Point(double X, double Y);

public static partial class Outer
{
    [Experiment("nested")]
    public partial record Nested(int N);
}
