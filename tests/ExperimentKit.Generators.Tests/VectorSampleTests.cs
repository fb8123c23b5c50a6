using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ExperimentKit.Generators.Tests;

/// <summary>
/// The canonical hash v1 vectors, through generated code: each vector whose value C# can type becomes an
/// [Experiment] record (members P0, P1, ... with [HashName] set to the vector's keys), all in one compilation;
/// the generated ToCanonicalJson() and ComputeHash() must give the vector's canonical text and hash.
/// </summary>
public class VectorSampleTests(ITestOutputHelper output)
{
    private const int MinimumSample = 50;

    /// <summary>
    /// The sample: the first typeable vectors in file order (the named edge cases come first, then random
    /// ones). More would only slow the compilation down.
    /// </summary>
    private const int SampleSize = 64;

    [Fact]
    public void Typed_vectors_hash_as_the_spec_says_through_generated_code()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "hash-vectors-v1.json")));
        var vectors = document.RootElement.GetProperty("vectors").EnumerateArray().ToList();

        // Deterministic: vectors that can be typed, in file order, up to the sample size.
        var source = new VectorSource();
        var sampled = new List<(string Type, string Name, string Canonical, string Hash)>();
        for (var i = 0; i < vectors.Count && sampled.Count < SampleSize; i++)
        {
            var vector = vectors[i];
            if (source.TryAddExperiment($"V{i}", vector.GetProperty("value")))
            {
                sampled.Add(($"Vectors.V{i}", vector.GetProperty("name").GetString()!, vector.GetProperty("canonical").GetString()!, vector.GetProperty("hash").GetString()!));
            }
        }

        output.WriteLine($"Sampled {sampled.Count} of {vectors.Count} vectors ({source.GroupCount} group types) into one compilation.");
        Assert.Contains(sampled, static v => v.Name == "escapes");
        Assert.Contains(sampled, static v => v.Name == "integers");
        Assert.True(sampled.Count >= MinimumSample, $"Only {sampled.Count} vectors could be typed; expected at least {MinimumSample}.");

        var run = TestHelpers.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics);
        var (context, assembly) = TestHelpers.EmitAndLoad(run.Output);
        try
        {
            var failures = new List<string>();
            foreach (var (typeName, name, canonical, hash) in sampled)
            {
                var type = assembly.GetType(typeName, throwOnError: true)!;
                var value = type.GetMethod("Build")!.Invoke(null, null)!;
                var actualCanonical = (string)type.GetMethod("ToCanonicalJson")!.Invoke(value, null)!;
                var actualHash = type.GetMethod("ComputeHash")!.Invoke(value, null)!.ToString();
                if (actualCanonical != canonical || actualHash != hash)
                {
                    failures.Add($"{name} ({typeName}):\n  expected {canonical} {hash}\n  actual   {actualCanonical} {actualHash}");
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {sampled.Count} vectors differ:\n" + string.Join("\n", failures));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>A C# expression and its type; a bare null has no type of its own.</summary>
    private readonly record struct Typed(string? Type, string Expression);

    /// <summary>Writes C# for typed vector values: experiment records, shared group records, literals.</summary>
    private sealed class VectorSource
    {
        private readonly StringBuilder _experiments = new();
        private readonly Dictionary<string, string> _groupsByShape = new(StringComparer.Ordinal);
        private readonly List<string> _groupDeclarations = [];

        public int GroupCount => _groupDeclarations.Count;

        /// <summary>Adds <c>[Experiment] partial record {name}</c> with a static Build(), or nothing if the value cannot be typed.</summary>
        public bool TryAddExperiment(string name, JsonElement value)
        {
            // Groups added while typing a vector that is then skipped are rolled back.
            var groupsBefore = _groupDeclarations.Count;
            var shapesBefore = _groupsByShape.Keys.ToList();
            if (value.GetProperty("t").GetString() != "object" || !TryMembers(value, out var members))
            {
                _groupDeclarations.RemoveRange(groupsBefore, _groupDeclarations.Count - groupsBefore);
                foreach (var shape in _groupsByShape.Keys.Except(shapesBefore).ToList())
                {
                    _groupsByShape.Remove(shape);
                }

                return false;
            }

            _experiments.Append($"[Experiment(\"vectors/{name.ToLowerInvariant()}\")]\n");
            _experiments.Append($"public partial record {name}({Parameters(members)})\n{{\n");
            _experiments.Append($"    public static {name} Build() => new({string.Join(", ", members.Select(static m => m.Value.Expression))});\n}}\n\n");
            return true;
        }

        public override string ToString() => new StringBuilder()
            .Append("using System.Globalization;\nusing ExperimentKit;\n\nnamespace Vectors;\n\n")
            .Append("internal static class Parse\n{\n")
            .Append("    public static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);\n")
            .Append("    public static float F(string s) => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);\n")
            .Append("    public static decimal M(string s) => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);\n")
            .Append("    public static long L(string s) => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);\n")
            .Append("    public static ulong U(string s) => ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);\n}\n\n")
            .AppendJoin("", _groupDeclarations)
            .Append(_experiments)
            .ToString();

        private static string Parameters(List<(string Key, Typed Value)> members)
            => string.Join(", ", members.Select((m, i) => $"[property: HashName({Literal(m.Key)})] {m.Value.Type ?? "string?"} P{i}"));

        /// <summary>An object's members, if every key can be a hash name (non-empty, no '.', unique) and every value typed.</summary>
        private bool TryMembers(JsonElement node, out List<(string Key, Typed Value)> members)
        {
            members = [];
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in node.GetProperty("v").EnumerateArray())
            {
                var key = pair[0].GetString()!;
                if (key.Length == 0 || key.Contains('.', StringComparison.Ordinal) || !keys.Add(key) || !TryType(pair[1], out var value))
                {
                    return false;
                }

                // A typed null, so a single-member record's constructor call is not ambiguous with its copy constructor.
                members.Add((key, value.Type is null ? new Typed(null, "(string?)null") : value));
            }

            return true;
        }

        private bool TryType(JsonElement node, out Typed typed)
        {
            typed = default;
            var text = node.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : null;
            switch (node.GetProperty("t").GetString())
            {
                case "null":
                    typed = new Typed(null, "null");
                    return true;
                case "bool":
                    typed = new Typed("bool", v.GetBoolean() ? "true" : "false");
                    return true;
                case "double":
                    typed = new Typed("double", $"Parse.D({Literal(text!)})");
                    return true;
                case "single":
                    typed = new Typed("float", $"Parse.F({Literal(text!)})");
                    return true;
                case "decimal":
                    typed = new Typed("decimal", $"Parse.M({Literal(text!)})");
                    return true;
                case "int":
                    typed = text!.StartsWith('-') || ulong.Parse(text, CultureInfo.InvariantCulture) <= long.MaxValue
                        ? new Typed("long", $"Parse.L({Literal(text)})")
                        : new Typed("ulong", $"Parse.U({Literal(text)})");
                    return true;
                case "string":
                    typed = new Typed("string", Literal(text!));
                    return true;
                case "array":
                    return TryItems(node, out var arrayType, out var arrayItems)
                        && Set(out typed, new Typed($"{arrayType}[]", $"new {arrayType}[] {{ {string.Join(", ", arrayItems)} }}"));
                case "set":
                    return TryItems(node, out var setType, out var setItems)
                        && setItems.Distinct(StringComparer.Ordinal).Count() == setItems.Count
                        && Set(out typed, new Typed($"HashSet<{setType}>", $"new HashSet<{setType}> {{ {string.Join(", ", setItems)} }}"));
                case "object":
                    if (!TryMembers(node, out var members))
                    {
                        return false;
                    }

                    var group = Group(members);
                    typed = new Typed(group, $"new {group}({string.Join(", ", members.Select(static m => m.Value.Expression))})");
                    return true;
                default:
                    return false;
            }
        }

        private static bool Set(out Typed typed, Typed value)
        {
            typed = value;
            return true;
        }

        /// <summary>Items of one element type (nulls allowed: the type becomes nullable); an empty one is long.</summary>
        private bool TryItems(JsonElement node, out string elementType, out List<string> items)
        {
            items = [];
            elementType = "long";
            var types = new HashSet<string>(StringComparer.Ordinal);
            var anyNull = false;
            foreach (var item in node.GetProperty("v").EnumerateArray())
            {
                if (!TryType(item, out var typed))
                {
                    return false;
                }

                if (typed.Type is null)
                {
                    anyNull = true;
                }
                else
                {
                    types.Add(typed.Type);
                }

                items.Add(typed.Expression);
            }

            if (types.Count > 1)
            {
                return false;
            }

            elementType = types.Count == 1 ? types.Single() : anyNull ? "string" : "long";
            if (anyNull && !elementType.EndsWith('?'))
            {
                elementType += "?";
            }

            return true;
        }

        /// <summary>A [ParameterGroup] record for an object shape; objects of one shape share the type.</summary>
        private string Group(List<(string Key, Typed Value)> members)
        {
            var shape = string.Join("\u0001", members.Select(static m => m.Key + "\u0002" + (m.Value.Type ?? "string?")));
            if (!_groupsByShape.TryGetValue(shape, out var name))
            {
                name = $"G{_groupsByShape.Count}";
                _groupsByShape[shape] = name;
                _groupDeclarations.Add($"[ParameterGroup]\npublic partial record {name}({Parameters(members)});\n\n");
            }

            return name;
        }

        /// <summary>A C# string literal: printable ASCII as is, everything else escaped.</summary>
        private static string Literal(string text)
        {
            var literal = new StringBuilder("\"");
            foreach (var c in text)
            {
                literal.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    >= ' ' and <= '~' => c.ToString(),
                    _ => $"\\u{(int)c:x4}",
                });
            }

            return literal.Append('"').ToString();
        }
    }
}
