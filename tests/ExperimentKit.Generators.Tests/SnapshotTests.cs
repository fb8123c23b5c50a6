namespace ExperimentKit.Generators.Tests;

/// <summary>
/// What the generator writes for representative inputs, checked against files in Snapshots/. Each input
/// must also compile, generated code included, without a single warning.
/// </summary>
public class SnapshotTests
{
    [Fact]
    public void PositionalRecordExperiment()
    {
        Verify("""
            using ExperimentKit;

            namespace Demo.Training;

            public enum Activation { Relu, Tanh }

            [ParameterGroup]
            public partial record ModelSpec(int Layers, int Width, Activation Activation = Activation.Relu, double Dropout = 0.0);

            [Experiment("demo/train", Version = 2)]
            public partial record TrainParams(
                double LearningRate,
                int Epochs,
                [property: Component("model")] ModelSpec Model,
                [property: Component("data")] string Dataset = "mnist",
                [property: OmitIfDefault] bool Augment = false,
                [property: OmitIfDefault] float Momentum = 0.9f,
                [property: NotHashed] int LoaderThreads = 4,
                [property: HashName("wd")] decimal WeightDecay = 0.0001m,
                int? Seed = null);
            """);
    }

    [Fact]
    public void ClassWithInitProperties()
    {
        Verify("""
            using ExperimentKit;

            namespace Demo;

            [Experiment]
            public partial class Sampler
            {
                public required double Alpha { get; init; }

                [OmitIfDefault]
                public int Beta { get; init; } = 3;

                [HashName("gamma")]
                public string Gamma { get; init; } = "g";

                public char Separator { get; init; } = ',';

                public TimeSpan Budget { get; init; }

                public Guid Run { get; init; }

                public double Twice => Alpha * 2;
            }
            """);
    }

    [Fact]
    public void RecordStructGroup()
    {
        Verify("""
            using ExperimentKit;

            namespace Demo.Geometry;

            [ParameterGroup]
            public readonly partial record struct Point(double X, double Y);

            [Experiment("geometry/path")]
            public partial record PathParams(Point Start, Point? End, List<Point> Waypoints);
            """);
    }

    [Fact]
    public void NestedInPartialStaticClass()
    {
        Verify("""
            using ExperimentKit;

            namespace Demo;

            public static partial class Experiments
            {
                [Experiment("nested")]
                public partial record Nested(int N, [property: OmitIfDefault] string Label = "");
            }
            """);
    }

    [Fact]
    public void EnumWithDuplicateValues()
    {
        Verify("""
            using ExperimentKit;

            [Flags]
            public enum Features : ulong
            {
                None = 0,
                Augment = 1,
                Shuffle = 2,
                Both = Augment | Shuffle,
                Alias = 2,
            }

            [Experiment("global/features")]
            public partial record FeatureParams(Features Features, [property: OmitIfDefault] Features Extra = Features.None);
            """);
    }

    [Fact]
    public void CollectionsSetsAndDictionaries()
    {
        Verify("""
            using System.Collections.Immutable;
            using ExperimentKit;

            namespace Demo;

            public enum Split { Train, Test }

            [Experiment("demo/collections")]
            public partial record Collections(
                double[] Doubles,
                List<string> Names,
                IReadOnlyList<int> Ro,
                IEnumerable<long> Seq,
                ImmutableArray<int> Imm,
                HashSet<string> Tags,
                SortedSet<int> Sorted,
                IReadOnlySet<Split> Splits,
                Dictionary<string, double> Weights,
                IReadOnlyDictionary<Split, int> BySplit,
                SortedDictionary<long, string?> ByNumber,
                int[][] Jagged,
                List<int?>? Maybe);
            """);
    }

    [Fact]
    public void RunnerFingerprints()
    {
        Verify("""
            using ExperimentKit;

            namespace Demo.Runners
            {
                public sealed class TextRunner : IExperimentRunner<string>
                {
                    public Task RunAsync(string parameters, RunContext run, CancellationToken cancellationToken)
                        => File.WriteAllTextAsync(run.ResultPath, parameters, cancellationToken);
                }

                public static class Suite
                {
                    internal readonly struct CountRunner : IExperimentRunner<int>
                    {
                        public Task RunAsync(int parameters, RunContext run, CancellationToken cancellationToken) => Task.Delay(parameters, cancellationToken);
                    }
                }
            }

            public sealed class GlobalRunner : IExperimentRunner<double>
            {
                public Task RunAsync(double parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """);
    }

    private static void Verify(string source, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var run = TestHelpers.Run(source);
        TestHelpers.AssertClean(run);
        Snapshot.Verify(run, test);
    }
}
