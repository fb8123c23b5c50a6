using System.Collections;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace ExperimentKit.Generators.Tests;

/// <summary>
/// User code plus generated code compiles without a warning, loads, and its generated members run and agree
/// with canonical hash v1 written out by hand.
/// </summary>
public class CompileAndRunTests
{
    private const string Source = """
        using ExperimentKit;

        namespace Demo;

        public enum Optimizer { Sgd, Adam }

        [ParameterGroup]
        public partial record Model(int Layers, [property: HashName("w")] int Width, Optimizer Optimizer = Optimizer.Adam);

        [Experiment("demo/train", Version = 2)]
        public partial record Train(
            double LearningRate,
            [property: Component("model")] Model Model,
            IReadOnlyList<int> Seeds,
            HashSet<string> Tags,
            Dictionary<string, double> Weights,
            [property: OmitIfDefault] float Momentum = 0.9f,
            [property: NotHashed] int Workers = 4,
            string? Note = null);

        public static class Samples
        {
            public static Train Create() => new(
                1e-3,
                new Model(2, 64),
                [3, 1, 2],
                ["b", "a", "\u00e9"],
                new() { ["y"] = 0.5, ["x"] = 2 });

            public static Model Small() => new(1, 8, Optimizer.Sgd);
        }
        """;

    // Canonical hash v1 by hand: keys in code point order; Momentum left out at its default; Workers not
    // hashed; 0.001 positional; 2 as a float is 2.0; the set sorted by the UTF-8 bytes of each element's
    // canonical JSON, so "\u00e9" (a backslash, 0x5C) comes before "a" (0x61).
    private const string ModelJson = """{"Layers":2,"Optimizer":"Adam","w":64}""";
    private const string Expected =
        """{"LearningRate":0.001,"Model":""" + ModelJson + ""","Note":null,"Seeds":[3,1,2],"Tags":["\u00e9","a","b"],"Weights":{"x":2.0,"y":0.5}}""";
    private const string ExpectedParams =
        """{"LearningRate":0.001,"Note":null,"Seeds":[3,1,2],"Tags":["\u00e9","a","b"],"Weights":{"x":2.0,"y":0.5}}""";

    [Fact]
    public void Generated_code_compiles_cleanly_loads_and_runs()
    {
        var run = TestHelpers.Run(Source);
        Assert.Empty(run.GeneratorDiagnostics);

        var (context, assembly) = TestHelpers.EmitAndLoad(run.Output);
        try
        {
            var train = assembly.GetType("Demo.Train", throwOnError: true)!;
            var model = assembly.GetType("Demo.Model", throwOnError: true)!;
            var samples = assembly.GetType("Demo.Samples", throwOnError: true)!;
            var sample = samples.GetMethod("Create")!.Invoke(null, null)!;

            // Canonical JSON and hashes.
            Assert.Equal(Expected, Call<string>(sample, "ToCanonicalJson"));
            var hash = Call<ParamsHash>(sample, "ComputeHash");
            Assert.Equal(Sha256Hex(Expected), hash.ToSha256String());
            Assert.Equal(Sha256Hex(Expected)[..16], hash.ToString());
            var components = Call<IReadOnlyDictionary<string, string>>(sample, "ComputeComponentHashes");
            Assert.Equal(["model", "params"], components.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(Sha256Hex(ModelJson)[..8], components["model"]);
            Assert.Equal(Sha256Hex(ExpectedParams)[..8], components["params"]);

            // Flat fields and back.
            var flat = Call<IReadOnlyDictionary<string, object?>>(sample, "ToFlat");
            Assert.Equal(64, flat["Model.w"]);
            Assert.Equal(2, flat["Model.Layers"]);
            Assert.Equal(4, flat["Workers"]);
            Assert.Null(flat["Note"]);
            var fromFlat = train.GetMethod("FromFlat", [typeof(IReadOnlyDictionary<string, object?>)])!;
            var back = fromFlat.Invoke(null, [flat])!;
            Assert.Equal(Expected, Call<string>(back, "ToCanonicalJson"));
            Assert.Equal(4, train.GetProperty("Workers")!.GetValue(back));

            // Flat fields as a ledger gives them back: other numeric types, text; a changed default shows up.
            var edited = new Dictionary<string, object?>(flat) { ["Model.w"] = 128L, ["Momentum"] = 0.5, ["Workers"] = "8" };
            var changed = fromFlat.Invoke(null, [edited])!;
            Assert.Equal(
                """{"LearningRate":0.001,"Model":{"Layers":2,"Optimizer":"Adam","w":128},"Momentum":0.5,"Note":null,"Seeds":[3,1,2],"Tags":["\u00e9","a","b"],"Weights":{"x":2.0,"y":0.5}}""",
                Call<string>(changed, "ToCanonicalJson"));
            Assert.Equal(8, train.GetProperty("Workers")!.GetValue(changed));

            // A grid sweep: two learning rates times two worker counts; the last member varies fastest.
            var small = Array.CreateInstance(model, 1);
            small.SetValue(samples.GetMethod("Small")!.Invoke(null, null), 0);
            var sweepMethod = train.GetMethod("Sweep")!;
            Assert.Equal(
                ["learningRate", "model", "seeds", "tags", "weights", "momentum", "workers", "note"],
                sweepMethod.GetParameters().Select(static p => p.Name));
            var sweep = sweepMethod.Invoke(null,
            [
                new[] { 0.1, 0.01 },
                small,
                new IReadOnlyList<int>[] { [7] },
                new[] { new HashSet<string> { "x" } },
                new[] { new Dictionary<string, double>() },
                null,
                new[] { 1, 2 },
                null,
            ])!;
            Assert.Equal(4L, sweep.GetType().GetProperty("Count")!.GetValue(sweep));
            var points = ((IEnumerable)sweep).Cast<object>().ToList();
            Assert.Equal([1, 2, 1, 2], points.Select(p => (int)train.GetProperty("Workers")!.GetValue(p)!));
            const string FirstPoint = """{"LearningRate":0.1,"Model":{"Layers":1,"Optimizer":"Sgd","w":8},"Note":null,"Seeds":[7],"Tags":["x"],"Weights":{}}""";
            Assert.Equal(FirstPoint, Call<string>(points[0], "ToCanonicalJson"));
            Assert.Equal(FirstPoint, Call<string>(points[1], "ToCanonicalJson"));
            Assert.Equal(FirstPoint.Replace("0.1,", "0.01,", StringComparison.Ordinal), Call<string>(points[2], "ToCanonicalJson"));
            Assert.Equal(Call<ParamsHash>(points[0], "ComputeHash"), Call<ParamsHash>(points[1], "ComputeHash"));
            Assert.NotEqual(Call<ParamsHash>(points[0], "ComputeHash"), Call<ParamsHash>(points[2], "ComputeHash"));

            // A member without a default must be given values.
            var missing = Assert.Throws<TargetInvocationException>(() => sweepMethod.Invoke(null, new object?[8]));
            var error = Assert.IsAssignableFrom<ArgumentException>(missing.InnerException);
            Assert.Contains("learningRate", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void The_module_initializer_registers_each_runner_fingerprint()
    {
        var run = TestHelpers.Run(Source, """
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

            public static class Nested
            {
                public sealed class ModelRunner : IExperimentRunner<Model>
                {
                    public Task RunAsync(Model parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }

                // Not registered: a top-level class cannot name it.
                private sealed class Hidden : IExperimentRunner<Model>
                {
                    public Task RunAsync(Model parameters, RunContext run, CancellationToken cancellationToken) => Task.CompletedTask;
                }
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        var computed = RunnerFingerprintTests.Fingerprints(run);
        Assert.Equal(["Demo.Nested.ModelRunner", "Demo.TrainRunner"], computed.Keys);
        Assert.Equal(RunnerFingerprintTests.ExpectedFingerprint(RunnerFingerprintTests.Declarations(run.Input, "TrainRunner")), computed["Demo.TrainRunner"]);

        var (context, assembly) = TestHelpers.EmitAndLoad(run.Output);
        try
        {
            var trainRunner = assembly.GetType("Demo.TrainRunner", throwOnError: true)!;
            var modelRunner = assembly.GetType("Demo.Nested+ModelRunner", throwOnError: true)!;
            var hidden = assembly.GetType("Demo.Nested+Hidden", throwOnError: true)!;

            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

            Assert.Equal(computed["Demo.TrainRunner"], RunnerFingerprints.For(trainRunner));
            Assert.Equal(computed["Demo.Nested.ModelRunner"], RunnerFingerprints.For(modelRunner));
            Assert.Null(RunnerFingerprints.For(hidden));
        }
        finally
        {
            context.Unload();
        }
    }

    private static T Call<T>(object target, string method)
        => (T)target.GetType().GetMethod(method, Type.EmptyTypes)!.Invoke(target, null)!;

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
