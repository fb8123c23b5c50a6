using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;

namespace ExperimentKit.Benchmarks;

/// <summary>
/// Generated, reflection-free hashing against the reflection baseline, side by side, on one
/// ten-member <see cref="BenchParams"/> value.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
// Ten warmups: with three, the reflection baseline was still being recompiled by tiered JIT during the
// measured iterations (warmups 34, 33, 18 us, then 9-13 us before settling at 6.5 us), which flattered
// the generated code. Fifteen iterations because the machine is shared.
[SimpleJob(warmupCount: 10, iterationCount: 15)]
public class HashingBenchmarks
{
    private const string Justification = "Benchmarks run on the JIT, never trimmed or compiled ahead of time.";

    private BenchParams _value = null!;

    /// <summary>Builds the value and checks that both paths agree on its canonical text and hash.</summary>
    [GlobalSetup]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = Justification)]
    public void Setup()
    {
        _value = BenchParams.Sample();
        string generatedJson = _value.ToCanonicalJson();
        string reflectionJson = ReflectionHasher.ToCanonicalJson(_value);
        if (generatedJson != reflectionJson)
        {
            throw new InvalidOperationException(
                $"The baseline's canonical JSON differs from the generated one.\n generated:  {generatedJson}\n reflection: {reflectionJson}");
        }

        string generatedHash = _value.ComputeHash().ToString();
        string reflectionHash = ReflectionHasher.ComputeHash(_value);
        if (generatedHash != reflectionHash)
        {
            throw new InvalidOperationException(
                $"The baseline's hash {reflectionHash} differs from the generated {generatedHash}.");
        }
    }

    /// <summary>Generated code: canonical JSON into a stack buffer, one-shot SHA-256, a struct result.</summary>
    [Benchmark]
    public ParamsHash Generated_ComputeHash() => _value.ComputeHash();

    /// <summary>Generated code: the canonical JSON as a string (allocates the string).</summary>
    [Benchmark]
    public string Generated_ToCanonicalJson() => _value.ToCanonicalJson();

    /// <summary>Reflection baseline: serialize to nodes, sort, round, write, SHA-256, hex.</summary>
    [Benchmark(Baseline = true)]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = Justification)]
    public string Reflection_Hash() => ReflectionHasher.ComputeHash(_value);
}
