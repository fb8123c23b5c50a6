using System.Globalization;
using Microsoft.CodeAnalysis;

namespace ExperimentKit.Generators.Tests;

/// <summary>
/// One minimal input per diagnostic. In each source, <c>/*!*/</c> marks where the diagnostic must point:
/// the identifier of the type or member at fault. Messages must name it and say how to fix it.
/// </summary>
public class DiagnosticTests
{
    private const string Marker = "/*!*/";

    [Fact]
    public void Valid_input_has_no_diagnostics()
    {
        var run = TestHelpers.Run("""
            using System.Collections.Immutable;
            using ExperimentKit;

            namespace Demo;

            public enum Mode { Fast, Slow }

            [ParameterGroup]
            public readonly partial record struct Point(double X, double Y);

            [ParameterGroup]
            public partial record Node(int Value, List<Point> Points);

            [Experiment("demo/valid", Version = 3)]
            public partial record Valid(
                double Rate,
                [property: Component("net")] Node Net,
                [property: HashName("m")] Mode Mode,
                Dictionary<Mode, ImmutableArray<Point>> ByMode,
                [property: OmitIfDefault] string Label = "",
                [property: NotHashed] int Threads = 1);

            public static partial class Holder
            {
                [Experiment]
                public partial class Inner
                {
                    public required int N { get; init; }

                    [OmitIfDefault]
                    public double Scale { get; init; } = 1.5;
                }
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Equal(4, run.Sources.Length);
    }

    [Fact]
    public void EXK001_type_not_partial()
    {
        var d = AssertDiagnostic("EXK001", """
            using ExperimentKit;

            [Experiment]
            public record /*!*/Plain(int N);
            """);
        AssertMessage(d, "'Plain'", "[Experiment]", "add the 'partial' modifier");
    }

    [Fact]
    public void EXK001_containing_type_not_partial()
    {
        var d = AssertDiagnostic("EXK001", """
            using ExperimentKit;

            public static class /*!*/Holder
            {
                [ParameterGroup]
                public partial record Inner(int N);
            }
            """);
        AssertMessage(d, "'Holder'", "'Inner'", "[ParameterGroup]", "add the 'partial' modifier to 'Holder'");
    }

    [Fact]
    public void EXK002_unsupported_member_type()
    {
        var d = AssertDiagnostic("EXK002", """
            using ExperimentKit;

            [Experiment]
            public partial record Bad(int N, object /*!*/Thing);
            """);
        AssertMessage(d, "'Thing'", "'object'", "use a supported type");
    }

    [Fact]
    public void EXK002_unmarked_class_member_says_to_mark_it()
    {
        var d = AssertDiagnostic("EXK002", """
            using ExperimentKit;

            public class Settings
            {
                public int Size { get; init; }
            }

            [Experiment]
            public partial class Bad
            {
                public Settings /*!*/Settings { get; init; } = new();
            }
            """);
        AssertMessage(d, "'Settings'", "mark 'Settings' with [ParameterGroup] and make it partial");
    }

    [Fact]
    public void EXK003_invalid_experiment_name()
    {
        var d = AssertDiagnostic("EXK003", """
            using ExperimentKit;

            [Experiment("mnist/../escape")]
            public partial record /*!*/Escape(int N);
            """);
        AssertMessage(d, "'mnist/../escape'", "'Escape'", "such as 'mnist/cnn/train'");
    }

    [Fact]
    public void EXK004_invalid_component_name()
    {
        var d = AssertDiagnostic("EXK004", """
            using ExperimentKit;

            [Experiment]
            public partial record Train(int N, [property: Component("params")] int /*!*/Seed);
            """);
        AssertMessage(d, "'params'", "'Seed'", "use letters, digits");
    }

    [Fact]
    public void EXK005_duplicate_experiment_name()
    {
        var d = AssertDiagnostic("EXK005", """
            using ExperimentKit;

            namespace Demo;

            [Experiment("shared")]
            public partial record First(int N);

            [Experiment("shared")]
            public partial record /*!*/Second(int N);
            """);
        AssertMessage(d, "'shared'", "'Demo.First'", "'Demo.Second'", "give one of them another name");
    }

    [Fact]
    public void EXK005_default_names_from_two_namespaces_collide()
    {
        // Without a name an experiment is named after its type, namespace left out.
        var d = AssertDiagnostic("EXK005", """
            using ExperimentKit;

            namespace A
            {
                [Experiment]
                public partial record Train(int N);
            }

            namespace B
            {
                [Experiment]
                public partial record /*!*/Train(int N);
            }
            """);
        AssertMessage(d, "'Train'", "'A.Train'", "'B.Train'");
    }

    [Fact]
    public void EXK006_duplicate_hash_name()
    {
        var d = AssertDiagnostic("EXK006", """
            using ExperimentKit;

            [Experiment]
            public partial record Clash([property: HashName("lr")] double Rate, double /*!*/lr);
            """);
        AssertMessage(d, "'Rate'", "'lr'", "'Clash'", "give one of them another [HashName]");
    }

    [Fact]
    public void EXK007_invalid_hash_name()
    {
        var d = AssertDiagnostic("EXK007", """
            using ExperimentKit;

            [Experiment]
            public partial record Dotted([property: HashName("model.lr")] double /*!*/Rate);
            """);
        AssertMessage(d, "\"model.lr\"", "'Rate'", "without '.'");
    }

    [Fact]
    public void EXK007_empty_hash_name()
    {
        var d = AssertDiagnostic("EXK007", """
            using ExperimentKit;

            [Experiment]
            public partial class Empty
            {
                [HashName("")]
                public double /*!*/Rate { get; init; }
            }
            """);
        AssertMessage(d, "'Rate'", "non-empty");
    }

    [Fact]
    public void EXK008_omit_if_default_without_default()
    {
        var d = AssertDiagnostic("EXK008", """
            using ExperimentKit;

            [Experiment]
            public partial record Omit(int N, [property: OmitIfDefault] double /*!*/Rate);
            """);
        AssertMessage(d, "'Rate'", "give its constructor parameter a default");
    }

    [Fact]
    public void EXK008_omit_if_default_with_a_computed_initializer()
    {
        var d = AssertDiagnostic("EXK008", """
            using ExperimentKit;

            [Experiment]
            public partial class Omit
            {
                [OmitIfDefault]
                public string /*!*/Stamp { get; init; } = System.DateTime.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }
            """);
        AssertMessage(d, "'Stamp'", "constant initializer");
    }

    [Fact]
    public void EXK009_group_containing_itself()
    {
        var d = AssertDiagnostic("EXK009", """
            using ExperimentKit;

            [ParameterGroup]
            public partial record Node(int Value, Node? /*!*/Next);
            """);
        AssertMessage(d, "'Next'", "'Node'", "Node -> Node", "break the cycle");
    }

    [Fact]
    public void EXK009_groups_containing_each_other_through_a_list()
    {
        var run = TestHelpers.Run("""
            using ExperimentKit;

            [ParameterGroup]
            public partial record Tree(List<Branch> Branches);

            [ParameterGroup]
            public partial record Branch(Tree Sub);
            """);

        Assert.Equal(["EXK009", "EXK009"], run.GeneratorDiagnostics.Select(static d => d.Id));
        var messages = run.GeneratorDiagnostics.Select(static d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(messages, static m => m.Contains("Tree -> Branch -> Tree", StringComparison.Ordinal));
        Assert.Contains(messages, static m => m.Contains("Branch -> Tree -> Branch", StringComparison.Ordinal));
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void EXK010_generic_type()
    {
        var d = AssertDiagnostic("EXK010", """
            using ExperimentKit;

            [Experiment]
            public partial record /*!*/Boxed<T>(int N);
            """);
        AssertMessage(d, "'Boxed' is generic", "make 'Boxed' non-generic");
    }

    [Fact]
    public void EXK010_nested_in_a_generic_type()
    {
        var d = AssertDiagnostic("EXK010", """
            using ExperimentKit;

            public partial class /*!*/Outer<T>
            {
                [Experiment]
                public partial record Inner(int N);
            }
            """);
        AssertMessage(d, "'Outer' is generic", "'Inner'", "make 'Outer' non-generic");
    }

    [Fact]
    public void EXK011_version_below_one()
    {
        var d = AssertDiagnostic("EXK011", """
            using ExperimentKit;

            [Experiment("train", Version = 0)]
            public partial record /*!*/Train(int N);
            """);
        AssertMessage(d, "'train'", "Version = 0", "Version = 1");
    }

    [Fact]
    public void EXK012_no_constructor_from_members()
    {
        var d = AssertDiagnostic("EXK012", """
            using ExperimentKit;

            [Experiment]
            public partial class /*!*/Opaque
            {
                public Opaque(int seed) => Value = seed * 2;

                public int Value { get; }
            }
            """);
        AssertMessage(d, "'Opaque'", "add one", "init accessors");
    }

    /// <summary>Exactly one generator diagnostic, with this id, at the marked identifier; user code still compiles.</summary>
    private static Diagnostic AssertDiagnostic(string id, string source)
    {
        var run = TestHelpers.Run(source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);

        var marker = source.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "The test source has no /*!*/ marker.");
        var start = marker + Marker.Length;
        var length = 0;
        while (start + length < source.Length && (char.IsLetterOrDigit(source[start + length]) || source[start + length] == '_'))
        {
            length++;
        }

        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Input0.cs", span.Path);
        Assert.Equal(source.Substring(start, length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);

        // Nothing broken was generated: the user's code compiles (the generator's own error aside).
        Assert.True(run.CompilationDiagnostics.IsEmpty, TestHelpers.Describe(run.CompilationDiagnostics, run.Output));
        return diagnostic;
    }

    private static void AssertMessage(Diagnostic diagnostic, params string[] parts)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (var part in parts)
        {
            Assert.True(message.Contains(part, StringComparison.Ordinal), $"The {diagnostic.Id} message does not contain \"{part}\":\n{message}");
        }
    }
}
