using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;

namespace ExperimentKit.Benchmarks;

/// <summary>
/// What one generated hash of <see cref="BenchParams.Sample"/> is made of: writing the canonical JSON, the
/// float rule and float formatting inside it, and the SHA-256 of the result. Run with
/// <c>--filter '*CostBreakdown*'</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(warmupCount: 10, iterationCount: 15)]
public class CanonicalCostBreakdown
{
    private const string Justification = "Benchmarks run on the JIT, never trimmed or compiled ahead of time.";

    private static readonly JsonSerializerOptions s_options = new()
    {
        Converters = { new JsonStringEnumConverter<Optimizer>() },
    };

    private BenchParams _value = null!;
    private byte[] _canonical = [];
    private double[] _doubles = [];
    private double[] _rounded = [];

    /// <summary>Builds the value, its canonical bytes and its four doubles.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _value = BenchParams.Sample();
        _canonical = System.Text.Encoding.UTF8.GetBytes(_value.ToCanonicalJson());
        _doubles = [_value.LearningRate, _value.Momentum, _value.WeightDecay, _value.Model.Dropout];
        _rounded = Array.ConvertAll(_doubles, CanonicalFloat.Round);
    }

    /// <summary>The whole generated hash, for reference.</summary>
    [Benchmark(Baseline = true)]
    public ParamsHash Whole() => _value.ComputeHash();

    /// <summary>Only the canonical JSON, into a stack buffer.</summary>
    [Benchmark]
    public int WriteCanonical_Only()
    {
        var writer = new CanonicalJsonWriter(stackalloc byte[512]);
        try
        {
            _value.WriteCanonical(ref writer);
            return writer.WrittenSpan.Length;
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Only the SHA-256 of the canonical bytes, as the library computes it (OpenSSL's low-level SHA256_* functions on Linux).</summary>
    [Benchmark]
    public ParamsHash Sha256_ParamsHashCompute() => ParamsHash.Compute(_canonical);

    /// <summary>Only the one-shot SHA-256 of the canonical bytes through .NET's SHA256.HashData.</summary>
    [Benchmark]
    public byte Sha256_OneShot()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_canonical, digest);
        return digest[0];
    }

    /// <summary>The one-shot SHA-256 of nothing: the fixed cost of a call, whatever the length.</summary>
    [Benchmark]
    public byte Sha256_OneShot_Empty()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData([], digest);
        return digest[0];
    }

    /// <summary>The float rule (<see cref="CanonicalFloat.Round"/>) on the value's four doubles.</summary>
    [Benchmark]
    public double FloatRule_FourDoubles()
    {
        double sum = 0;
        foreach (double d in _doubles)
        {
            sum += CanonicalFloat.Round(d);
        }

        return sum;
    }

    /// <summary>Python-repr formatting of the four rounded doubles.</summary>
    [Benchmark]
    public int Repr_FourDoubles()
    {
        Span<byte> text = stackalloc byte[32];
        int length = 0;
        foreach (double d in _rounded)
        {
            length += CanonicalFloat.FormatRepr(d, text);
        }

        return length;
    }

    /// <summary>The baseline's first step alone: reflection-based serialization to a node tree.</summary>
    [Benchmark]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = Justification)]
    public object? Reflection_SerializeToNode() => JsonSerializer.SerializeToNode(_value, s_options);
}
