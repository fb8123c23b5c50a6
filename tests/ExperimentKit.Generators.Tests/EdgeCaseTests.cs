namespace ExperimentKit.Generators.Tests;

/// <summary>Inputs users write that stress the emitted C#: it must still compile without a warning.</summary>
public class EdgeCaseTests
{
    [Fact]
    public void Members_named_like_keywords_compile()
    {
        var run = TestHelpers.Run("""
            using ExperimentKit;

            namespace Demo;

            [ParameterGroup]
            public partial record Inner(int @class, double @default = 1.0);

            [Experiment("keywords")]
            public partial record Keywords(int @event, [property: OmitIfDefault] string @params = "", Inner? @base = null)
            {
                public required int @object { get; init; }

                public static Keywords Make() => new(1, @base: new Inner(3)) { @object = 2 };
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);

        var (context, assembly) = TestHelpers.EmitAndLoad(run.Output);
        try
        {
            var type = assembly.GetType("Demo.Keywords", throwOnError: true)!;
            var value = type.GetMethod("Make")!.Invoke(null, null)!;
            const string Expected = """{"base":{"class":3,"default":1.0},"event":1,"object":2}""";
            Assert.Equal(Expected, type.GetMethod("ToCanonicalJson")!.Invoke(value, null));

            var flat = (IReadOnlyDictionary<string, object?>)type.GetMethod("ToFlat")!.Invoke(value, null)!;
            Assert.Equal(3, flat["base.class"]);
            var back = type.GetMethod("FromFlat", [typeof(IReadOnlyDictionary<string, object?>)])!.Invoke(null, [flat])!;
            Assert.Equal(Expected, type.GetMethod("ToCanonicalJson")!.Invoke(back, null));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Nullable_oblivious_user_code_compiles_without_warnings()
    {
        var run = TestHelpers.Run("""
            #nullable disable
            using ExperimentKit;

            namespace Demo;

            [ParameterGroup]
            public partial record Inner(string Name = null);

            [Experiment("oblivious")]
            public partial record Oblivious(
                string Label,
                Inner Inner,
                List<string> Tags,
                Dictionary<string, Inner> ByName,
                string[] Names = null,
                [property: OmitIfDefault] string Note = null)
            {
                public string Extra { get; init; } = null;
            }
            """);
        TestHelpers.AssertClean(run);
    }

    [Fact]
    public void Unusual_shapes_compile_without_warnings()
    {
        var run = TestHelpers.Run("""
            using ExperimentKit;

            namespace Demo;

            [Experiment("empty")]
            public partial record Empty();

            [Experiment("hidden")]
            public partial record OnlyHidden([property: NotHashed] int Threads);

            [ParameterGroup]
            public partial record Part(int Size);

            [Experiment("components")]
            public partial record AllComponents([property: Component("a")] Part A, [property: Component("b")] int B, [property: Component("b")] int C);

            [Experiment("struct")]
            public partial struct Plain
            {
                public int Size { get; init; }

                [OmitIfDefault]
                public double Scale { get; init; } = 2.5;

                public Plain() { }
            }

            [Experiment("locals")]
            public partial record Locals(int writer, int reader, int value, int fields, int prefix, int hashes, int buffer, int __member);

            [Experiment("nesting")]
            public partial record Nesting(
                HashSet<HashSet<int>> Sets,
                Dictionary<int, List<Part?>> Parts,
                Dictionary<string, Dictionary<string, double>> Table,
                List<double[]>? Rows);
            """);
        TestHelpers.AssertClean(run);
    }

    [Fact]
    public void Derived_experiment_of_a_generated_base_compiles_without_warnings()
    {
        var run = TestHelpers.Run("""
            using ExperimentKit;

            namespace Demo;

            [Experiment("base")]
            public partial record BaseParams(double Rate);

            [Experiment("derived")]
            public partial record DerivedParams(double Rate, int Epochs) : BaseParams(Rate);

            [ParameterGroup]
            public partial record GroupBase(int Width);

            [Experiment("from-group")]
            public partial record FromGroup(int Width, int Depth) : GroupBase(Width);

            public static class Make
            {
                public static BaseParams Derived() => new DerivedParams(0.5, 3);
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);

        // The derived members are 'new', not overrides: through the base type, the base's own hash is used.
        var (context, assembly) = TestHelpers.EmitAndLoad(run.Output);
        try
        {
            var value = assembly.GetType("Demo.Make", throwOnError: true)!.GetMethod("Derived")!.Invoke(null, null)!;
            var derived = assembly.GetType("Demo.DerivedParams", throwOnError: true)!;
            var baseType = assembly.GetType("Demo.BaseParams", throwOnError: true)!;
            Assert.Equal("""{"Epochs":3,"Rate":0.5}""", derived.GetMethod("ToCanonicalJson")!.Invoke(value, null));
            Assert.Equal("""{"Rate":0.5}""", baseType.GetMethod("ToCanonicalJson")!.Invoke(value, null));
        }
        finally
        {
            context.Unload();
        }
    }
}
