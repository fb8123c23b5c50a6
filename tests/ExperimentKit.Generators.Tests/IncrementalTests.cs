using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentKit.Generators.Tests;

/// <summary>
/// The generator's pipeline caches: a second run over an equal compilation recomputes nothing that changed,
/// an edit elsewhere regenerates nothing, and an edit to a parameter type regenerates that type only.
/// </summary>
public class IncrementalTests
{
    private const string TrainSource = """
        using ExperimentKit;

        namespace Demo;

        public enum Optimizer { Sgd, Adam }

        [Experiment("demo/train")]
        public partial record Train(
            double LearningRate,
            [property: Component("model")] Model Model,
            Dictionary<string, double> Weights,
            HashSet<Optimizer> Optimizers,
            [property: OmitIfDefault] int Epochs = 10);
        """;

    private const string TrainEdited = """
        using ExperimentKit;

        namespace Demo;

        public enum Optimizer { Sgd, Adam }

        [Experiment("demo/train")]
        public partial record Train(
            double LearningRate,
            [property: Component("model")] Model Model,
            Dictionary<string, double> Weights,
            HashSet<Optimizer> Optimizers,
            [property: OmitIfDefault] int Epochs = 10,
            [property: OmitIfDefault] double Momentum = 0.9);
        """;

    private const string ModelSource = """
        using ExperimentKit;

        namespace Demo;

        [ParameterGroup]
        public partial record Model(int Layers, int Width, double Dropout = 0.0);
        """;

    // Not partial: gives the Diagnostics step something to carry.
    private const string BrokenSource = """
        using ExperimentKit;

        namespace Demo;

        [Experiment("demo/broken")]
        public record Broken(int N);
        """;

    // A runner: feeds the runner fingerprint steps.
    private const string RunnerSource = """
        using ExperimentKit;

        namespace Demo;

        public sealed class TrainRunner : IExperimentRunner<Train>
        {
            public Task RunAsync(Train parameters, RunContext run, CancellationToken cancellationToken)
            {
                run.Summary["rate"] = parameters.LearningRate;
                return Task.CompletedTask;
            }
        }
        """;

    private const string UnrelatedSource = """
        namespace Demo;

        public class Unrelated
        {
            public int Count { get; set; }
        }
        """;

    private const string UnrelatedEdited = """
        namespace Demo;

        public class Unrelated
        {
            public int Count { get; set; }

            public string Name { get; set; } = "x";
        }
        """;

    /// <summary>Every constant of <see cref="TrackingNames"/>: adding a step name puts it under test.</summary>
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(static f => f.IsLiteral)
        .Select(static f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Every_tracking_name_names_a_step_that_runs()
    {
        var run = TestHelpers.Run(TrainSource, ModelSource, BrokenSource, RunnerSource);
        Assert.NotEmpty(StepNames);
        foreach (var name in StepNames)
        {
            Assert.True(run.Result.TrackedSteps.ContainsKey(name), $"No step is tracked as '{name}'; the name is dead or the step lost WithTrackingName.");
        }
    }

    [Fact]
    public void Second_run_on_a_clone_of_the_compilation_is_all_cached()
    {
        var first = TestHelpers.Run(TrainSource, ModelSource, BrokenSource, RunnerSource, UnrelatedSource);
        Assert.Equal(3, first.Sources.Length);
        Assert.Contains(first.GeneratorDiagnostics, static d => d.Id == "EXK001");

        var second = TestHelpers.Run(first.Driver, first.Input.Clone());

        AssertStepsCachedOrUnchanged(second.Result, StepNames);
        AssertOutputsCachedOrUnchanged(second.Result);
        Assert.Equal(first.Sources.Select(static s => s.SourceText.ToString()), second.Sources.Select(static s => s.SourceText.ToString()));
    }

    [Fact]
    public void Step_outputs_hold_no_compilation_symbol_syntax_or_location()
    {
        var first = TestHelpers.Run(TrainSource, ModelSource, BrokenSource, RunnerSource);
        var second = TestHelpers.Run(first.Driver, first.Input.Clone());
        Assert.NotEmpty(first.Result.TrackedSteps[TrackingNames.Models].SelectMany(static s => s.Outputs));
        Assert.NotEmpty(first.Result.TrackedSteps[TrackingNames.Runners].SelectMany(static s => s.Outputs));
        foreach (var run in new[] { first, second })
        {
            foreach (var name in StepNames)
            {
                foreach (var step in run.Result.TrackedSteps[name])
                {
                    for (var i = 0; i < step.Outputs.Length; i++)
                    {
                        AssertPlainData(step.Outputs[i].Value, $"{name}[{i}]", new HashSet<object>(ReferenceEqualityComparer.Instance));
                    }
                }
            }
        }
    }

    [Fact]
    public void Adding_an_unrelated_file_regenerates_nothing()
    {
        var first = TestHelpers.Run(TrainSource, ModelSource, BrokenSource, RunnerSource);
        var unrelated = CSharpSyntaxTree.ParseText(UnrelatedSource, TestHelpers.ParseOptions, path: "Unrelated.cs");

        var second = TestHelpers.Run(first.Driver, first.Input.AddSyntaxTrees(unrelated));

        AssertStepsCachedOrUnchanged(second.Result, StepNames);
        AssertOutputsCachedOrUnchanged(second.Result);
    }

    [Fact]
    public void Editing_an_unrelated_file_regenerates_nothing()
    {
        var first = TestHelpers.Run(TrainSource, ModelSource, RunnerSource, UnrelatedSource);
        var before = TreeEndingWith(first.Input, "Unrelated");
        var after = before.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(UnrelatedEdited));

        var second = TestHelpers.Run(first.Driver, first.Input.ReplaceSyntaxTree(before, after));

        AssertStepsCachedOrUnchanged(second.Result, StepNames);
        AssertOutputsCachedOrUnchanged(second.Result);
        TestHelpers.AssertClean(second);
    }

    [Fact]
    public void Editing_the_experiment_regenerates_it_and_only_it()
    {
        var first = TestHelpers.Run(TrainSource, ModelSource, UnrelatedSource);
        var before = TreeEndingWith(first.Input, "Train");
        var after = before.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(TrainEdited));

        var second = TestHelpers.Run(first.Driver, first.Input.ReplaceSyntaxTree(before, after));

        TestHelpers.AssertClean(second);
        AssertSomeOutput(second.Result, TrackingNames.Experiments, IncrementalStepRunReason.Modified);
        AssertSomeOutput(second.Result, TrackingNames.Models, IncrementalStepRunReason.Modified);
        AssertStepsCachedOrUnchanged(second.Result, [TrackingNames.Groups, TrackingNames.GroupModels]);
        Assert.Contains("Momentum", second.Source("Demo.Train.ExperimentKit.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("Momentum", first.Source("Demo.Train.ExperimentKit.g.cs"), StringComparison.Ordinal);
        Assert.Equal(first.Source("Demo.Model.ExperimentKit.g.cs"), second.Source("Demo.Model.ExperimentKit.g.cs"));

        // The experiment's source is produced anew; the group's is not.
        var outputs = second.Result.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs).ToList();
        Assert.Contains(outputs, static o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(outputs, static o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
    }

    private static SyntaxTree TreeEndingWith(Compilation compilation, string typeName)
        => compilation.SyntaxTrees.Single(t => t.GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>()
            .Any(d => d.Identifier.Text == typeName));

    private static void AssertStepsCachedOrUnchanged(GeneratorRunResult result, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"Step '{name}' did not run.");
            foreach (var step in steps)
            {
                foreach (var (value, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{name}' output was {reason}, not Cached or Unchanged: {value}");
                }
            }
        }
    }

    private static void AssertOutputsCachedOrUnchanged(GeneratorRunResult result)
    {
        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach (var (name, steps) in result.TrackedOutputSteps)
        {
            foreach (var step in steps)
            {
                foreach (var (value, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Output step '{name}' was {reason}: {value}");
                }
            }
        }
    }

    private static void AssertSomeOutput(GeneratorRunResult result, string name, IncrementalStepRunReason expected)
    {
        var reasons = result.TrackedSteps[name].SelectMany(static s => s.Outputs).Select(static o => o.Reason).ToList();
        Assert.True(reasons.Contains(expected), $"Step '{name}' had no {expected} output; it had {string.Join(", ", reasons)}.");
    }

    /// <summary>
    /// Walks a step output: records' properties, fields (tuples), and the items of collections. Roslyn objects
    /// tie a model to one compilation, so the next run's model never compares equal and nothing caches.
    /// </summary>
    private static void AssertPlainData(object? value, string path, HashSet<object> visited)
    {
        if (value is null)
        {
            return;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is string or decimal)
        {
            return;
        }

        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location
                or SyntaxToken or SyntaxTrivia or AttributeData or MemberInfo or Delegate,
            $"Pipeline output {path} holds a {type.FullName}; models must be plain equatable records.");

        // Arrays and ImmutableArray compare by reference: a model holding one never equals the last run's.
        Assert.False(
            type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)),
            $"Pipeline output {path} is a {type.Name}, which compares by reference; use EquatableArray.");
        Assert.True(
            type.IsValueType || type.GetMethod(nameof(Equals), [typeof(object)])!.DeclaringType != typeof(object),
            $"Pipeline output {path} is a {type.FullName}, which has reference equality; make it a record.");

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertPlainData(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertPlainData(field.GetValue(value), $"{path}.{field.Name}", visited);
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null)
            {
                AssertPlainData(property.GetValue(value), $"{path}.{property.Name}", visited);
            }
        }
    }
}
