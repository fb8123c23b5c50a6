using Microsoft.CodeAnalysis;

namespace ExperimentKit.Generators;

/// <summary>Every diagnostic the generator reports. Each message names the member and says the fix.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ExperimentKit";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "EXK001",
        "Parameter type must be partial",
        "'{0}' must be partial for the generator to implement [{1}] type '{2}'; add the 'partial' modifier to '{0}' (and to every type that contains it)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedMemberType = new(
        "EXK002",
        "Unsupported parameter member type",
        "Member '{0}' has type '{1}', which canonical hash v1 cannot represent; {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidExperimentName = new(
        "EXK003",
        "Invalid experiment name",
        "Experiment name '{0}' on '{1}' is not valid: use segments of letters, digits, '_', '.' and '-' separated by '/', such as 'mnist/cnn/train'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidComponentName = new(
        "EXK004",
        "Invalid component name",
        "Component name '{0}' on member '{1}' is not valid: use letters, digits, '_' and '-' (and not 'params', which names the members without a component)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateExperimentName = new(
        "EXK005",
        "Two experiments share one name",
        "Experiment name '{0}' is used by both '{1}' and '{2}'; runs of the two would mix in one ledger, so give one of them another name",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateHashName = new(
        "EXK006",
        "Two members share one hash name",
        "Members '{0}' and '{1}' of '{2}' both hash under the name '{3}'; give one of them another [HashName]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidHashName = new(
        "EXK007",
        "Invalid hash name",
        "[HashName(\"{0}\")] on member '{1}' is not valid: a hash name is non-empty text without '.', which flat field paths reserve",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OmitIfDefaultWithoutDefault = new(
        "EXK008",
        "[OmitIfDefault] needs a constant default",
        "Member '{0}' is marked [OmitIfDefault] but has no compile-time constant default; give its constructor parameter a default ('= 0') or its property a constant initializer, or remove [OmitIfDefault]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GroupCycle = new(
        "EXK009",
        "Parameter groups form a cycle",
        "Member '{0}' makes '{1}' contain itself ({2}); a parameter set must be a finite tree, so break the cycle",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericType = new(
        "EXK010",
        "Generic parameter types are not supported",
        "'{0}' is generic, but parameter type '{1}' needs one fixed shape to hash; make '{0}' non-generic",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidVersion = new(
        "EXK011",
        "Invalid experiment version",
        "Experiment '{0}' has Version = {1}, but versions start at 1; set Version = 1 or more (or leave it out for 1)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoConstructor = new(
        "EXK012",
        "Parameter type cannot be built from its members",
        "'{0}' has no accessible constructor whose parameters are all named like its properties; add one (a positional record has one), or a parameterless constructor with init accessors",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "EXK001" => NotPartial,
        "EXK002" => UnsupportedMemberType,
        "EXK003" => InvalidExperimentName,
        "EXK004" => InvalidComponentName,
        "EXK005" => DuplicateExperimentName,
        "EXK006" => DuplicateHashName,
        "EXK007" => InvalidHashName,
        "EXK008" => OmitIfDefaultWithoutDefault,
        "EXK009" => GroupCycle,
        "EXK010" => GenericType,
        "EXK011" => InvalidVersion,
        _ => NoConstructor,
    };
}
