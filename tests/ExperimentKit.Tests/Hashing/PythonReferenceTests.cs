using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExperimentKit.Tests.Hashing;

/// <summary>A fact that is skipped, with a message, when <c>python3</c> is not on PATH.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        // CI sets EXPERIMENTKIT_REQUIRE_ALL_TESTS=1: there the test runs (and fails without python3), never skips.
        if (PythonReferenceTests.FindPython() is null && Environment.GetEnvironmentVariable("EXPERIMENTKIT_REQUIRE_ALL_TESTS") != "1")
        {
            Skip = "python3 is not on PATH, so the Python reference in docs/hashing.md was not checked.";
        }
    }
}

/// <summary>
/// Runs the Python function published in <c>docs/hashing.md</c> and checks that it reproduces the C# writer:
/// every vector's canonical text and hash, and the float rule on many random doubles and decimals.
/// </summary>
public class PythonReferenceTests
{
    private const string VectorDriver = """

        import decimal as _decimal, json as _json, sys as _sys

        def _build(node):
            t = node["t"]
            if t == "null":
                return None
            if t in ("bool", "string"):
                return node["v"]
            if t == "int":
                return int(node["v"])
            if t == "double":
                return float(node["v"])
            if t == "decimal":
                return _decimal.Decimal(node["v"])
            if t == "array":
                return [_build(e) for e in node["v"]]
            if t == "set":
                return frozenset(_build(e) for e in node["v"])
            if t == "object":
                return {name: _build(v) for name, v in node["v"]}
            raise ValueError("unknown node type " + t)

        _results = {}
        for _case in _json.loads(_sys.stdin.read()):
            try:
                _value = _build(_case["value"])
                _results[_case["name"]] = [canonical_json(_value), *params_hash(_value)]
            except ValueError as _error:
                _results[_case["name"]] = ["rejected", str(_error)]
        print(_json.dumps(_results))
        """;

    private const string FloatDriver = """

        import decimal as _decimal, json as _json, struct as _struct, sys as _sys

        _input = _json.loads(_sys.stdin.read())
        _doubles = []
        for _bits in _input["doubles"]:
            _x = _struct.unpack("<d", _struct.pack("<Q", _bits))[0]
            _doubles.append([repr(_x), canonical_json(_x)])
        _decimals = [canonical_json(_decimal.Decimal(_text)) for _text in _input["decimals"]]
        print(_json.dumps({"doubles": _doubles, "decimals": _decimals}))
        """;

    [PythonFact]
    public void The_documented_python_function_reproduces_every_vector()
    {
        var cases = new JsonArray();
        foreach (HashVector vector in HashVectors.Vectors.Concat(HashVectors.Rejected))
        {
            cases.Add(new JsonObject { ["name"] = vector.Name, ["value"] = ToPythonInput(vector.Value) });
        }

        using JsonDocument output = RunPython(VectorDriver, cases.ToJsonString());
        JsonElement results = output.RootElement;

        foreach (HashVector vector in HashVectors.Vectors)
        {
            JsonElement result = results.GetProperty(vector.Name);
            Assert.True(vector.Canonical == result[0].GetString(), $"{vector.Name}: Python wrote {result[0].GetString()}");
            Assert.Equal(vector.Hash, result[1].GetString());
            Assert.Equal(vector.Sha256, result[2].GetString());
        }

        foreach (HashVector vector in HashVectors.Rejected)
        {
            Assert.Equal("rejected", results.GetProperty(vector.Name)[0].GetString());
        }
    }

    [PythonFact]
    public void The_documented_python_float_rule_matches_the_writer_on_random_values()
    {
        var random = new Random(7);
        var doubles = new List<double> { 0.0, -0.0, double.Epsilon, double.MaxValue, 1234567890125.0, 0.1 + 0.2, 1e16, 1e-5 };
        while (doubles.Count < 30_000)
        {
            double x = (doubles.Count % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                1 => double.Parse(
                    $"{random.NextInt64(100_000_000_000, 1_000_000_000_000)}5E{random.Next(-330, 300)}",
                    CultureInfo.InvariantCulture),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 18)),
            };
            if (double.IsFinite(x))
            {
                doubles.Add(x);
            }
        }

        var decimals = new List<decimal> { 0m, 1.50m, decimal.MaxValue, decimal.MinValue, 1.234567890125m, 1.234567890135m };
        while (decimals.Count < 5_000)
        {
            decimals.Add(new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 1, (byte)random.Next(29)));
        }

        var input = new JsonObject
        {
            ["doubles"] = new JsonArray(doubles.Select(d => JsonValue.Create((ulong)BitConverter.DoubleToInt64Bits(d))).ToArray<JsonNode?>()),
            ["decimals"] = new JsonArray(decimals.Select(d => JsonValue.Create(d.ToString(CultureInfo.InvariantCulture))).ToArray<JsonNode?>()),
        };

        using JsonDocument output = RunPython(FloatDriver, input.ToJsonString());

        // Enumerate rather than index: indexing a JsonElement array of arrays walks it from the start.
        JsonElement[] pythonDoubles = output.RootElement.GetProperty("doubles").EnumerateArray().ToArray();
        Assert.Equal(doubles.Count, pythonDoubles.Length);
        for (int i = 0; i < doubles.Count; i++)
        {
            double x = doubles[i];
            string? repr = pythonDoubles[i][0].GetString();
            string? rule = pythonDoubles[i][1].GetString();
            if (repr != CanonicalFloat.FormatRepr(x) || rule != CanonicalFloat.FormatRepr(CanonicalFloat.Round(x)))
            {
                Assert.Fail($"{x:R}: Python repr {repr}, float rule {rule}; C# {CanonicalFloat.FormatRepr(x)}, {CanonicalFloat.FormatRepr(CanonicalFloat.Round(x))}.");
            }
        }

        JsonElement[] pythonDecimals = output.RootElement.GetProperty("decimals").EnumerateArray().ToArray();
        Assert.Equal(decimals.Count, pythonDecimals.Length);
        for (int i = 0; i < decimals.Count; i++)
        {
            string expected = CanonicalFloat.FormatRepr(CanonicalFloat.FromDecimal(decimals[i]));
            if (pythonDecimals[i].GetString() != expected)
            {
                Assert.Fail($"decimal {decimals[i]}: Python {pythonDecimals[i].GetString()}, C# {expected}.");
            }
        }
    }

    /// <summary>The vector tree as the Python driver reads it: floats become repr text of what C# hashes.</summary>
    private static JsonNode ToPythonInput(JsonElement node)
    {
        string type = node.GetProperty("t").GetString()!;
        switch (type)
        {
            case "single":
                float single = HashVectors.ParseSingle(HashVectors.Text(node));
                string text = float.IsFinite(single)
                    ? CanonicalFloat.FormatRepr(CanonicalFloat.FromSingle(single))
                    : float.IsNaN(single) ? "nan" : single > 0 ? "inf" : "-inf";
                return new JsonObject { ["t"] = "double", ["v"] = text };
            case "decimal":
                decimal value = HashVectors.ParseDecimal(HashVectors.Text(node));
                return new JsonObject { ["t"] = "decimal", ["v"] = value.ToString(CultureInfo.InvariantCulture) };
            case "array":
            case "set":
                return new JsonObject
                {
                    ["t"] = type,
                    ["v"] = new JsonArray(node.GetProperty("v").EnumerateArray().Select(ToPythonInput).ToArray<JsonNode?>()),
                };
            case "object":
                return new JsonObject
                {
                    ["t"] = type,
                    ["v"] = new JsonArray(HashVectors.Members(node)
                        .Select(m => (JsonNode?)new JsonArray(m.Name, ToPythonInput(m.Value)))
                        .ToArray()),
                };
            default:
                return JsonNode.Parse(node.GetRawText())!;
        }
    }

    private static JsonDocument RunPython(string driver, string input)
    {
        string python = FindPython() ?? throw new InvalidOperationException("python3 is not on PATH.");
        string script = ExtractPythonBlock(File.ReadAllText(Path.Combine(FindRepositoryRoot(), "docs", "hashing.md")));
        string scriptPath = Path.Combine(Path.GetTempPath(), $"experimentkit-hash-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptPath, script + "\n" + driver, new UTF8Encoding(false));
        try
        {
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardInputEncoding = new UTF8Encoding(false),
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            start.ArgumentList.Add(scriptPath);
            start.Environment["PYTHONIOENCODING"] = "utf-8";

            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("python3 did not finish within 2 minutes.");
            }

            Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {stderr.Result}");
            return JsonDocument.Parse(stdout.Result);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    /// <summary>The one <c>```python</c> block of the document.</summary>
    internal static string ExtractPythonBlock(string markdown)
    {
        string normalized = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        const string fence = "```python\n";
        int start = normalized.IndexOf(fence, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/hashing.md has no ```python block.");
        Assert.True(normalized.IndexOf(fence, start + fence.Length, StringComparison.Ordinal) < 0, "docs/hashing.md has more than one ```python block.");
        start += fence.Length;
        int end = normalized.IndexOf("\n```", start - 1, StringComparison.Ordinal);
        Assert.True(end > start, "The ```python block in docs/hashing.md is not closed.");
        return normalized[start..end] + "\n";
    }

    internal static string? FindPython()
    {
        string[] names = OperatingSystem.IsWindows() ? ["python3.exe", "python.exe"] : ["python3"];
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (directory.Length == 0)
            {
                continue;
            }

            foreach (string name in names)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ExperimentKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No folder above the test output holds ExperimentKit.sln.");
    }
}
