using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ExperimentKit.Generators;

// The pipeline's data: plain records with value equality. Nothing here may hold an ISymbol, a SyntaxNode,
// a Compilation or a Location, or incremental caching breaks (the generator tests check this).

/// <summary>One [Experiment] or [ParameterGroup] type, everything the emitter needs.</summary>
/// <remarks>
/// BaseIsParameterType / BaseIsExperiment: a base type is itself generated, so the members generated here
/// hide its members and are declared 'new'.
/// </remarks>
internal sealed record TypeModel(
    string Namespace,
    string Name,
    string FullName,
    string DisplayName,
    string DeclarationKeyword,
    bool IsValueType,
    bool IsRecord,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string? ExperimentName,
    int Version,
    EquatableArray<MemberModel> Members,
    EquatableArray<string> ConstructorParameters,
    EquatableArray<EnumModel> Enums,
    bool BaseIsParameterType,
    bool BaseIsExperiment)
{
    public bool IsExperiment => ExperimentName is not null;

    public string HintName
    {
        get
        {
            var name = new System.Text.StringBuilder();
            if (Namespace.Length > 0)
            {
                name.Append(Namespace).Append('.');
            }

            foreach (var containing in ContainingTypes)
            {
                name.Append(containing.Name).Append('.');
            }

            return name.Append(Name).Append(".ExperimentKit.g.cs").ToString();
        }
    }
}

/// <summary>A type that contains the parameter type (it must be partial too).</summary>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>One public instance property with a getter.</summary>
/// <param name="Name">C# name.</param>
/// <param name="HashName">Name in canonical JSON, flat paths and exact JSON.</param>
/// <param name="ParameterName">camelCase name for Sweep(...) parameters, escaped if a keyword.</param>
/// <param name="ConstructorIndex">Position in the chosen constructor, or -1 when set by initializer.</param>
/// <param name="DefaultLiteral">C# expression of the constant default, or null.</param>
/// <param name="DefaultDisplay">The default as invariant text, for the descriptor, or null.</param>
internal sealed record MemberModel(
    string Name,
    string HashName,
    string ParameterName,
    ValueModel Type,
    bool IsHashed,
    bool OmitIfDefault,
    string? Component,
    bool IsSettable,
    int ConstructorIndex,
    string? DefaultLiteral);

/// <summary>The shape of a value: how to hash, write, read and flatten it.</summary>
/// <param name="TypeName">Fully qualified C# type, with nullable annotation.</param>
/// <param name="NonNullTypeName">The same without the outer nullable annotation (T for T? value types).</param>
/// <param name="CanBeNull">A reference type or Nullable&lt;T&gt;.</param>
/// <param name="IsNullableValueType">Nullable&lt;T&gt;.</param>
/// <param name="Collection">For arrays, sets and dictionaries: the concrete shape (see CollectionShape).</param>
internal sealed record ValueModel(
    ValueKind Kind,
    string TypeName,
    string NonNullTypeName,
    bool CanBeNull,
    bool IsNullableValueType,
    string Collection,
    ValueModel? Element,
    ValueModel? Key,
    string? EnumName);

internal enum ValueKind
{
    Boolean,
    SignedInteger,
    UnsignedInteger,
    Double,
    Single,
    Decimal,
    String,
    Char,
    Enum,
    Guid,
    DateTime,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    TimeSpan,
    Array,
    Set,
    Dictionary,
    Group,
}

/// <summary>An enum used by some member: its names with unique values, for name lookups without reflection.</summary>
internal sealed record EnumModel(string TypeName, string SafeName, string UnderlyingType, bool IsUnsigned, EquatableArray<EnumMemberModel> Members);

internal sealed record EnumMemberModel(string Name, string ValueText, bool IsUnique);

/// <summary>A diagnostic with its location flattened to equatable data.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);

internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
        => location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>What parsing one attributed type produced: a model when it is valid, and its diagnostics.</summary>
internal sealed record ParseResult(TypeModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, ExperimentNameInfo? Name);

/// <summary>An experiment's name and where it is declared, for the duplicate-name check.</summary>
internal sealed record ExperimentNameInfo(string Name, string TypeName, LocationInfo? Location);

/// <summary>One runner class and the fingerprint of its code.</summary>
/// <param name="FullName">The type's name with namespace and containing types ("Demo.Outer.Runner"), for ordering and comments.</param>
/// <param name="TypeOfText">The operand of typeof in emitted code ("global::Demo.Outer.Runner").</param>
/// <param name="Fingerprint">16 lowercase hex characters: see <see cref="RunnerFingerprinter"/>.</param>
internal sealed record RunnerModel(string FullName, string TypeOfText, string Fingerprint);
