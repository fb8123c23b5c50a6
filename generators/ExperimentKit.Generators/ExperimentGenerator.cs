using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentKit.Generators;

/// <summary>
/// The pipeline, in order: find [Experiment] and [ParameterGroup] types; parse each into an equatable
/// model (or diagnostics); report diagnostics; check experiment names are unique across the compilation;
/// emit one source file per valid type. Beside them: find runner types (IExperimentRunner&lt;T&gt;), fingerprint
/// their code and emit one file that registers the fingerprints at start-up.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ExperimentGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var experiments = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ExperimentParser.ExperimentAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ExperimentParser.Parse(ctx, isExperiment: true, ct))
            .WithTrackingName(TrackingNames.Experiments);

        var groups = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ExperimentParser.ParameterGroupAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ExperimentParser.Parse(ctx, isExperiment: false, ct))
            .WithTrackingName(TrackingNames.Groups);

        var diagnostics = experiments.Collect()
            .Combine(groups.Collect())
            .Select(static (pair, _) => Diagnose(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, found) =>
        {
            foreach (var info in found)
            {
                spc.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.ById(info.Id),
                    info.Location?.ToLocation(),
                    info.Arguments.ToArray<object>()));
            }
        });

        var models = experiments.Select(static (r, _) => r.Model)
            .Where(static m => m is not null)
            .WithTrackingName(TrackingNames.Models);
        var groupModels = groups.Select(static (r, _) => r.Model)
            .Where(static m => m is not null)
            .WithTrackingName(TrackingNames.GroupModels);

        context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(model!.HintName, ExperimentEmitter.Emit(model)));
        context.RegisterSourceOutput(groupModels, static (spc, model) => spc.AddSource(model!.HintName, ExperimentEmitter.Emit(model)));

        // Runners carry no attribute, so a syntax provider: any class or struct with a base list, then the
        // semantic check. The transform runs again on every compilation change; its output is equal when the
        // runner's tokens are, so nothing downstream runs.
        var runners = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => RunnerFingerprinter.IsCandidate(node),
                static (ctx, ct) => RunnerFingerprinter.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.RunnerCandidates)
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(TrackingNames.Runners);
        var runnerSet = runners.Collect()
            .Select(static (all, _) => OrderRunners(all))
            .WithTrackingName(TrackingNames.RunnerSet);
        context.RegisterSourceOutput(runnerSet, static (spc, set) =>
        {
            if (set.Count > 0)
            {
                spc.AddSource(RunnerEmitter.HintName, RunnerEmitter.Emit(set));
            }
        });
    }

    /// <summary>
    /// Each runner once (a partial type with a base list on two declarations is found twice, with the same
    /// model) in ordinal order of its typeof text, so the emitted file does not depend on file order.
    /// </summary>
    private static EquatableArray<RunnerModel> OrderRunners(IEnumerable<RunnerModel> runners)
        => runners
            .Distinct()
            .OrderBy(static r => r.TypeOfText, System.StringComparer.Ordinal)
            .ToEquatableArray();

    /// <summary>Every type's own diagnostics, plus one for each experiment name used twice.</summary>
    private static EquatableArray<DiagnosticInfo> Diagnose(IEnumerable<ParseResult> experiments, IEnumerable<ParseResult> groups)
    {
        var all = new List<DiagnosticInfo>();
        var firstByName = new Dictionary<string, ExperimentNameInfo>(System.StringComparer.Ordinal);
        foreach (var result in experiments)
        {
            all.AddRange(result.Diagnostics);
            if (result.Name is not { } name)
            {
                continue;
            }

            if (firstByName.TryGetValue(name.Name, out var first))
            {
                all.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.DuplicateExperimentName.Id,
                    name.Location,
                    new[] { name.Name, first.TypeName, name.TypeName }.ToEquatableArray()));
            }
            else
            {
                firstByName[name.Name] = name;
            }
        }

        foreach (var result in groups)
        {
            all.AddRange(result.Diagnostics);
        }

        return all.ToEquatableArray();
    }
}
