using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ExperimentKit.Generators.Tests;

/// <summary>
/// Runner fingerprints: which types are runners, what the fingerprint covers (tokens of every declaration,
/// not trivia), and how the steps behave when a runner, its comments or another file are edited.
/// </summary>
public class RunnerFingerprintTests
{
    private const string ParamsSource = """
        using ExperimentKit;

        namespace Demo;

        [Experiment("demo/fit")]
        public partial record Fit(int Steps);
        """;

    private const string RunnerSource = """
        using ExperimentKit;

        namespace Demo;

        /// <summary>Fits.</summary>
        public sealed class FitRunner : IExperimentRunner<Fit>
        {
            // The step size.
            private const double Rate = 0.5;

            public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken)
            {
                run.Summary["rate"] = Rate * parameters.Steps;
                return Task.CompletedTask;
            }
        }
        """;

    // The same tokens: other comments, a documentation comment gone, other indentation and line breaks.
    private const string RunnerReformatted = """
        using ExperimentKit;

        namespace Demo;

        public sealed class FitRunner
            : IExperimentRunner<Fit>
        {
            /* How far each step goes. */
            private const double Rate = 0.5;


            public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) {
                    run.Summary["rate"] = Rate * parameters.Steps; // scaled
                    return Task.CompletedTask;
            }
        }
        """;

    // One token differs: the constant.
    private const string RunnerEdited = """
        using ExperimentKit;

        namespace Demo;

        /// <summary>Fits.</summary>
        public sealed class FitRunner : IExperimentRunner<Fit>
        {
            // The step size.
            private const double Rate = 0.25;

            public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken)
            {
                run.Summary["rate"] = Rate * parameters.Steps;
                return Task.CompletedTask;
            }
        }
        """;

    private const string UnrelatedSource = """
        namespace Demo;

        public class Unrelated : IDisposable
        {
            public void Dispose() { }
        }
        """;

    private const string UnrelatedEdited = """
        namespace Demo;

        public class Unrelated : IDisposable
        {
            public int Count { get; set; }

            public void Dispose() { }
        }
        """;

    private static readonly string[] RunnerSteps = [TrackingNames.RunnerCandidates, TrackingNames.Runners, TrackingNames.RunnerSet];

    [Fact]
    public void The_fingerprint_is_sha256_of_the_length_prefixed_tokens()
    {
        var run = TestHelpers.Run(ParamsSource, RunnerSource);
        TestHelpers.AssertClean(run);

        var fingerprint = Assert.Single(Fingerprints(run)).Value;
        Assert.Matches("^[0-9a-f]{16}$", fingerprint);
        Assert.Equal(ExpectedFingerprint(Declarations(run.Input, "FitRunner")), fingerprint);
        Assert.Contains(
            $"global::ExperimentKit.RunnerFingerprints.Register(typeof(global::Demo.FitRunner), \"{fingerprint}\");",
            run.Source(RunnerEmitter.HintName),
            StringComparison.Ordinal);
    }

    [Fact]
    public void No_runner_no_file()
    {
        var run = TestHelpers.Run(ParamsSource, UnrelatedSource);
        TestHelpers.AssertClean(run);
        Assert.DoesNotContain(run.Sources, static s => s.HintName == RunnerEmitter.HintName);
    }

    [Fact]
    public void Comments_white_space_and_line_breaks_do_not_count()
    {
        var a = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerSource))).Value;
        var b = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerReformatted))).Value;
        var crlf = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerSource.Replace("\n", "\r\n", StringComparison.Ordinal)))).Value;
        Assert.Equal(a, b);
        Assert.Equal(a, crlf);
    }

    [Fact]
    public void Any_code_token_counts()
    {
        var a = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerSource))).Value;
        var edited = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerEdited))).Value;
        var renamedLocal = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerSource.Replace("parameters", "p", StringComparison.Ordinal)))).Value;
        var literal = Assert.Single(Fingerprints(TestHelpers.Run(ParamsSource, RunnerSource.Replace("\"rate\"", "\"Rate\"", StringComparison.Ordinal)))).Value;
        Assert.Equal(4, new[] { a, edited, renamedLocal, literal }.Distinct().Count());
    }

    [Fact]
    public void Tokens_holding_line_breaks_are_kept_apart_from_their_neighbours()
    {
        // "a\nb" as one verbatim literal, and a, b as the same text split over two literals: with tokens
        // joined by line breaks both would read the same; the length prefix tells them apart.
        const string Template = """
            using ExperimentKit;

            namespace Demo;

            public sealed class Texts : IExperimentRunner<string>
            {
                public Task RunAsync(string parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;

                private static readonly string[] Values = [BODY];
            }
            """;
        var joined = Template.Replace("BODY", "@\"a\nb\"", StringComparison.Ordinal);
        var split = Template.Replace("BODY", "@\"a\", @\"b\"", StringComparison.Ordinal);
        Assert.NotEqual(
            Assert.Single(Fingerprints(TestHelpers.Run(joined))).Value,
            Assert.Single(Fingerprints(TestHelpers.Run(split))).Value);
    }

    [Fact]
    public void Which_types_are_registered()
    {
        var run = TestHelpers.Run(ParamsSource, """
            using ExperimentKit;

            namespace Demo;

            public abstract class BaseRunner : IExperimentRunner<Fit>
            {
                public abstract Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken);
            }

            // Inherits the interface: a runner.
            public sealed class Derived : BaseRunner
            {
                public override Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public readonly struct StructRunner : IExperimentRunner<Fit>
            {
                public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public sealed record RecordRunner(int Seed) : IExperimentRunner<Fit>
            {
                public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            // Open generic: typeof needs type arguments.
            public sealed class GenericRunner<T> : IExperimentRunner<T>
            {
                public Task RunAsync(T parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public static class Outer
            {
                public sealed class PublicNested : IExperimentRunner<Fit>
                {
                    public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }

                internal sealed class @class : IExperimentRunner<Fit>
                {
                    public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }

                // Not visible to a top-level generated class.
                private sealed class PrivateNested : IExperimentRunner<Fit>
                {
                    public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }
            }

            public class Container
            {
                protected sealed class ProtectedNested : IExperimentRunner<Fit>
                {
                    public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }
            }

            public class GenericOuter<T>
            {
                public sealed class InsideGeneric : IExperimentRunner<Fit>
                {
                    public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }
            }

            // A base list, but no runner.
            public sealed class NotARunner : IDisposable
            {
                public void Dispose() { }
            }
            """, """
            using ExperimentKit;

            namespace Demo;

            file sealed class FileLocal : IExperimentRunner<Fit>
            {
                public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            public static class UsesFileLocal
            {
                public static object Make() => new FileLocal();
            }
            """);
        TestHelpers.AssertClean(run);

        Assert.Equal(
            ["Demo.Derived", "Demo.Outer.@class", "Demo.Outer.PublicNested", "Demo.RecordRunner", "Demo.StructRunner"],
            Fingerprints(run).Keys);
        var source = run.Source(RunnerEmitter.HintName);
        Assert.Contains("typeof(global::Demo.Outer.@class)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Private", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Generic", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_runner_covers_every_declaration_in_file_path_order_and_is_registered_once()
    {
        const string PartA = """
            using ExperimentKit;

            namespace Demo;

            public sealed partial class Split : IExperimentRunner<Fit>
            {
                public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Step(parameters);
            }
            """;
        const string PartZ = """
            namespace Demo;

            public sealed partial class Split : IDisposable
            {
                private static Task Step(Fit parameters) => Task.Delay(parameters.Steps);

                public void Dispose() { }
            }
            """;

        var zFirst = RunWithTrees(("Runners/Z.cs", PartZ), ("Runners/A.cs", PartA));
        var aFirst = RunWithTrees(("Runners/A.cs", PartA), ("Runners/Z.cs", PartZ));
        TestHelpers.AssertClean(zFirst);

        var fingerprint = Assert.Single(Fingerprints(zFirst)).Value;
        Assert.Equal(fingerprint, Assert.Single(Fingerprints(aFirst)).Value);
        var a = Declarations(zFirst.Input, "Split").Single(d => d.SyntaxTree.FilePath.EndsWith("A.cs", StringComparison.Ordinal));
        var z = Declarations(zFirst.Input, "Split").Single(d => d.SyntaxTree.FilePath.EndsWith("Z.cs", StringComparison.Ordinal));
        Assert.Equal(ExpectedFingerprint([a, z]), fingerprint);
        Assert.NotEqual(ExpectedFingerprint([a]), fingerprint);

        // Both declarations have a base list, so both are found; one registration.
        var source = zFirst.Source(RunnerEmitter.HintName);
        Assert.Single(source.Split('\n'), static line => line.Contains("Register(typeof(", StringComparison.Ordinal));
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_the_fingerprints_alone()
    {
        var first = TestHelpers.Run(ParamsSource, RunnerSource, UnrelatedSource);
        var second = Edit(first, "Unrelated", UnrelatedEdited);

        TestHelpers.AssertClean(second);
        AssertStepsCachedOrUnchanged(second.Result, RunnerSteps);
        AssertRunnerOutputCachedOrUnchanged(second.Result);
        Assert.Equal(first.Source(RunnerEmitter.HintName), second.Source(RunnerEmitter.HintName));
    }

    [Fact]
    public void Editing_a_runner_comment_keeps_its_fingerprint()
    {
        var first = TestHelpers.Run(ParamsSource, RunnerSource, UnrelatedSource);
        var second = Edit(first, "FitRunner", RunnerReformatted);

        TestHelpers.AssertClean(second);
        AssertStepsCachedOrUnchanged(second.Result, RunnerSteps);
        AssertRunnerOutputCachedOrUnchanged(second.Result);
        Assert.Equal(first.Source(RunnerEmitter.HintName), second.Source(RunnerEmitter.HintName));
    }

    [Fact]
    public void Editing_a_runner_code_changes_its_fingerprint()
    {
        var first = TestHelpers.Run(ParamsSource, RunnerSource, UnrelatedSource);
        var second = Edit(first, "FitRunner", RunnerEdited);

        TestHelpers.AssertClean(second);
        foreach (var name in RunnerSteps)
        {
            var reasons = second.Result.TrackedSteps[name].SelectMany(static s => s.Outputs).Select(static o => o.Reason).ToList();
            Assert.True(reasons.Contains(IncrementalStepRunReason.Modified), $"Step '{name}' had no Modified output; it had {string.Join(", ", reasons)}.");
        }

        var before = Assert.Single(Fingerprints(first)).Value;
        var after = Assert.Single(Fingerprints(second)).Value;
        Assert.NotEqual(before, after);
        Assert.Equal(ExpectedFingerprint(Declarations(second.Input, "FitRunner")), after);
        Assert.Contains(after, second.Source(RunnerEmitter.HintName), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_partial_declaration_without_the_base_list_changes_the_fingerprint()
    {
        const string Head = """
            using ExperimentKit;

            namespace Demo;

            public sealed partial class Halves : IExperimentRunner<Fit>
            {
                public Task RunAsync(Fit parameters, RunContext run, CancellationToken cancellationToken) => Task.Delay(Steps(parameters));
            }
            """;
        const string Tail = """
            namespace Demo;

            public sealed partial class Halves
            {
                private static int Steps(Fit parameters) => parameters.Steps;
            }
            """;
        var first = TestHelpers.Run(ParamsSource, Head, Tail);
        var tail = first.Input.SyntaxTrees.Single(t => t.FilePath == "Input2.cs");
        var edited = tail.WithChangedText(SourceText.From(Tail.Replace("parameters.Steps;", "parameters.Steps * 2;", StringComparison.Ordinal)));
        var second = TestHelpers.Run(first.Driver, first.Input.ReplaceSyntaxTree(tail, edited));

        TestHelpers.AssertClean(second);
        Assert.NotEqual(Assert.Single(Fingerprints(first)).Value, Assert.Single(Fingerprints(second)).Value);
        Assert.Equal(ExpectedFingerprint(Declarations(second.Input, "Halves")), Assert.Single(Fingerprints(second)).Value);
    }

    /// <summary>
    /// The documented fingerprint, computed here independently of the generator: SHA-256 over
    /// "&lt;length&gt;:&lt;text&gt;" of each token ("\r\n" read as "\n"), first 16 lowercase hex characters.
    /// </summary>
    internal static string ExpectedFingerprint(IEnumerable<SyntaxNode> orderedDeclarations)
    {
        var text = new StringBuilder();
        foreach (var token in orderedDeclarations.SelectMany(static d => d.DescendantTokens()))
        {
            var tokenText = token.Text.Replace("\r\n", "\n", StringComparison.Ordinal);
            text.Append(tokenText.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(tokenText);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The declarations of a type by simple name, in file path order.</summary>
    internal static List<TypeDeclarationSyntax> Declarations(Compilation compilation, string name)
        => compilation.SyntaxTrees
            .OrderBy(static t => t.FilePath, StringComparer.Ordinal)
            .SelectMany(static t => t.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
            .Where(d => d.Identifier.ValueText == name)
            .ToList();

    /// <summary>What the generator computed: runner name to fingerprint, from the step that feeds the emitted file.</summary>
    internal static IReadOnlyDictionary<string, string> Fingerprints(GeneratorRun run)
    {
        var set = (EquatableArray<RunnerModel>)Assert.Single(Assert.Single(run.Result.TrackedSteps[TrackingNames.RunnerSet]).Outputs).Value;
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var runner in set)
        {
            result.Add(runner.FullName, runner.Fingerprint);
        }

        return result;
    }

    private static GeneratorRun RunWithTrees(params (string Path, string Source)[] files)
    {
        var compilation = TestHelpers.CreateCompilation(ParamsSource)
            .AddSyntaxTrees(files.Select(static f => CSharpSyntaxTree.ParseText(f.Source, TestHelpers.ParseOptions, path: f.Path)));
        return TestHelpers.Run(TestHelpers.CreateDriver(), compilation);
    }

    private static GeneratorRun Edit(GeneratorRun first, string typeName, string newText)
    {
        var before = first.Input.SyntaxTrees.Single(t => t.GetRoot().DescendantNodes()
            .OfType<TypeDeclarationSyntax>()
            .Any(d => d.Identifier.Text == typeName));
        var after = before.WithChangedText(SourceText.From(newText));
        return TestHelpers.Run(first.Driver, first.Input.ReplaceSyntaxTree(before, after));
    }

    private static void AssertStepsCachedOrUnchanged(GeneratorRunResult result, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"Step '{name}' did not run.");
            foreach (var (value, reason) in steps.SelectMany(static s => s.Outputs))
            {
                Assert.True(
                    reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' output was {reason}, not Cached or Unchanged: {value}");
            }
        }
    }

    /// <summary>The source output fed by the runner set was not produced anew.</summary>
    private static void AssertRunnerOutputCachedOrUnchanged(GeneratorRunResult result)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(static s => s.Value)
            .Where(static step => step.Inputs.Any(static input => input.Source.Name == TrackingNames.RunnerSet))
            .SelectMany(static step => step.Outputs)
            .ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, static o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"The runner fingerprint file was {o.Reason}."));
    }
}
