using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentKit.Generators.Tests;

/// <summary>What one generator run produced.</summary>
/// <param name="Input">The compilation the generator saw.</param>
/// <param name="Output">The compilation with the generated trees added.</param>
/// <param name="Driver">The driver after the run; run it again to check incremental caching.</param>
/// <param name="GeneratorDiagnostics">Diagnostics the generator reported (EXK001...).</param>
/// <param name="Sources">Generated sources, in hint name order.</param>
internal sealed record GeneratorRun(
    CSharpCompilation Input,
    Compilation Output,
    GeneratorDriver Driver,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<GeneratedSourceResult> Sources)
{
    private ImmutableArray<Diagnostic>? _compilationDiagnostics;

    /// <summary>
    /// Warnings and errors of the output compilation (user code plus generated code). Binding everything
    /// costs time, so this is computed on first use (emitting reports the same diagnostics).
    /// </summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => _compilationDiagnostics ??= Output.GetDiagnostics()
        .Where(static d => d.Severity >= DiagnosticSeverity.Warning)
        .ToImmutableArray();

    /// <summary>Generator diagnostics, then compilation warnings and errors.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => GeneratorDiagnostics.AddRange(CompilationDiagnostics);

    /// <summary>The tracked steps of the (only) generator's last run.</summary>
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    public string Source(string hintName) => Sources.Single(s => s.HintName == hintName).SourceText.ToString();
}

/// <summary>
/// Builds compilations from source text, runs <see cref="ExperimentGenerator"/> over them with step tracking
/// on, and compiles the result to an assembly that can be loaded and called.
/// </summary>
internal static class TestHelpers
{
    /// <summary>Today's C#; documentation comments parsed so broken XML docs in generated code are reported.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    /// <summary>The SDK's implicit usings for a console or library project.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>
    /// As users build: nullable on, every warning wave, warnings as errors. CS1591 (missing XML comment) is
    /// off because test inputs carry no docs; generated code disables it for itself anyway.
    /// </summary>
    private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            deterministic: true)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1591"] = ReportDiagnostic.Suppress });

    /// <summary>A library compilation of the given sources (files Input0.cs, Input1.cs, ...) plus implicit usings.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = sources
            .Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Input{i}.cs"))
            .Prepend(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "GlobalUsings.cs"));
        return CSharpCompilation.Create("Experiments" + Guid.NewGuid().ToString("N"), trees, References.Value, CompilationOptions);
    }

    /// <summary>A driver for the generator that records every step, for the caching tests.</summary>
    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            new[] { new ExperimentGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator over the sources on a fresh driver.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    /// <summary>Runs <paramref name="driver"/> (fresh or from an earlier run) over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw: " + result.Exception, result.Exception);
        }

        return new GeneratorRun(
            compilation,
            output,
            driver,
            generatorDiagnostics,
            result.GeneratedSources.OrderBy(static s => s.HintName, StringComparer.Ordinal).ToImmutableArray());
    }

    /// <summary>Fails, listing them, when there are any diagnostics of warning severity or above.</summary>
    public static void AssertClean(GeneratorRun run)
    {
        var problems = run.Diagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "Expected no warnings or errors, got:\n" + Describe(problems, run.Output));
    }

    /// <summary>Each diagnostic with its source line, so a failure in generated code can be read.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics, Compilation? compilation = null)
    {
        var lines = new List<string>();
        foreach (var d in diagnostics.Take(30))
        {
            lines.Add(d.ToString());
            if (d.Location.SourceTree is { } tree)
            {
                var line = tree.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim();
                lines.Add("    > " + line);
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>
    /// Emits the compilation, which must have no error and no warning (users build with warnings as errors),
    /// and loads it into a collectible context (unload it when done).
    /// </summary>
    public static (AssemblyLoadContext Context, Assembly Assembly) EmitAndLoad(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var problems = emitted.Diagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(emitted.Success && problems.Count == 0, "Emit reported errors or warnings:\n" + Describe(problems, compilation));
        image.Position = 0;

        // ExperimentKit itself resolves to the copy this test assembly already loaded, so its types are shared.
        var context = new AssemblyLoadContext("generated-" + compilation.AssemblyName, isCollectible: true);
        return (context, context.LoadFromStream(image));
    }

    /// <summary>The runtime's own assemblies (trusted platform assemblies in its folder), plus ExperimentKit.dll.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeFolder, StringComparison.OrdinalIgnoreCase))
            .Where(static path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        return platform
            .Append(typeof(ParamsHash).Assembly.Location)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
