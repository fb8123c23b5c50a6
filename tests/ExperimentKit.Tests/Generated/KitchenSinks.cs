using System.Collections.Immutable;

namespace ExperimentKit.Tests.Generated;

/// <summary>A fully populated <see cref="KitchenSink"/> with awkward values in every member.</summary>
internal static class KitchenSinks
{
    public static KitchenSink Full() => new(
        Flag: true,
        I8: -8,
        U8: 200,
        I16: -1600,
        U16: 60000,
        I32: int.MinValue,
        U32: uint.MaxValue,
        I64: long.MinValue,
        U64: ulong.MaxValue,
        NInt: -5,
        D: 0.1 + 0.2,
        F: 0.1f,
        M: 1.50m,
        S: "naïve \"quoted\" \n 😀",
        C: 'é',
        E: Activation.Tanh,
        Flags: Features.Augment,
        G: Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        When: new DateTime(2026, 11, 23, 10, 52, 2, 123, DateTimeKind.Utc),
        WhenOffset: new DateTimeOffset(2026, 11, 23, 10, 52, 2, TimeSpan.FromHours(2)),
        Day: new DateOnly(2026, 11, 23),
        Time: new TimeOnly(23, 59, 58, 7),
        Span: TimeSpan.FromMilliseconds(90061001),
        MaybeInt: null,
        MaybeText: "x",
        Doubles: [1.0, -0.0, 1e-13, 1.7976931348623157e308],
        Names: ["b", "a"],
        Ro: [3, 1, 2],
        Seq: [1L, 2L],
        Imm: [7, 8],
        Tags: ["t1", "t0"],
        Sorted: [5, 1],
        Weights: new Dictionary<string, double> { ["w"] = 0.25, ["a"] = 1 },
        ByActivation: new Dictionary<Activation, int> { [Activation.Relu] = 1, [Activation.Gelu] = 3 },
        ByNumber: new Dictionary<int, string> { [9] = "nine", [10] = "ten" },
        MaybeModel: null,
        Models: [new ModelSpec(1, 8), new ModelSpec(2, 16, Activation.Gelu, 0.5)],
        Jagged: [[1, 2], [], [3]]);
}
