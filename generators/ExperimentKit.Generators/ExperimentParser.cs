using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentKit.Generators;

/// <summary>Turns an attributed type's symbols into a <see cref="TypeModel"/> and its diagnostics.</summary>
internal static class ExperimentParser
{
    public const string ExperimentAttribute = "ExperimentKit.ExperimentAttribute";
    public const string ParameterGroupAttribute = "ExperimentKit.ParameterGroupAttribute";
    private const string ComponentAttribute = "ExperimentKit.ComponentAttribute";
    private const string NotHashedAttribute = "ExperimentKit.NotHashedAttribute";
    private const string OmitIfDefaultAttribute = "ExperimentKit.OmitIfDefaultAttribute";
    private const string HashNameAttribute = "ExperimentKit.HashNameAttribute";

    private static readonly Regex NameSegment = new("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex ComponentName = new("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant);

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, bool isExperiment, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var location = LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        var empty = new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty, null);

        // A type with both attributes is handled once, by the experiment pipeline.
        if (!isExperiment && HasAttribute(type, ExperimentAttribute))
        {
            return empty;
        }

        void Report(DiagnosticDescriptor descriptor, LocationInfo? at, params string[] args)
            => diagnostics.Add(new DiagnosticInfo(descriptor.Id, at ?? location, args.ToEquatableArray()));

        var attributeName = isExperiment ? "Experiment" : "ParameterGroup";
        var containing = new List<ContainingTypeModel>();
        if (!IsPartial(type))
        {
            Report(DiagnosticDescriptors.NotPartial, location, type.Name, attributeName, type.Name);
        }

        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!IsPartial(outer))
            {
                // At the containing type's own name: that is the declaration to change.
                Report(DiagnosticDescriptors.NotPartial, IdentifierLocation(outer, cancellationToken), outer.Name, attributeName, type.Name);
            }

            containing.Insert(0, new ContainingTypeModel(Keyword(outer), outer.Name));
        }

        // IsGenericType is also true for a type nested in a generic one: name (and point at) the one with type parameters.
        var generic = type.Arity > 0 ? type : ContainingTypes(type).FirstOrDefault(static t => t.Arity > 0);
        if (generic is not null)
        {
            Report(
                DiagnosticDescriptors.GenericType,
                ReferenceEquals(generic, type) ? location : IdentifierLocation(generic, cancellationToken),
                generic.Name,
                type.Name);
        }

        string? experimentName = null;
        var version = 1;
        ExperimentNameInfo? nameInfo = null;
        if (isExperiment)
        {
            var attribute = context.Attributes[0];
            experimentName = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string given
                ? given
                : type.Name;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Version" && named.Value.Value is int v)
                {
                    version = v;
                }
            }

            if (!IsValidExperimentName(experimentName))
            {
                Report(DiagnosticDescriptors.InvalidExperimentName, location, experimentName, type.Name);
            }

            if (version < 1)
            {
                Report(DiagnosticDescriptors.InvalidVersion, location, experimentName, version.ToString(CultureInfo.InvariantCulture));
            }

            nameInfo = new ExperimentNameInfo(experimentName, type.ToDisplayString(), location);
        }

        var enums = new Dictionary<string, EnumModel>(StringComparer.Ordinal);
        var properties = CollectProperties(type);
        var constructor = ChooseConstructor(type, properties);
        if (constructor is null)
        {
            Report(DiagnosticDescriptors.NoConstructor, location, type.Name);
        }

        var members = new List<MemberModel>();
        var hashNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var memberLocation = LocationInfo.From(property.Locations.FirstOrDefault()) ?? location;
            var value = Classify(property.Type, enums, out var problem);
            if (value is null)
            {
                Report(DiagnosticDescriptors.UnsupportedMemberType, memberLocation, property.Name, property.Type.ToDisplayString(), problem!);
                continue;
            }

            var hashName = property.Name;
            var isHashed = true;
            var omitIfDefault = false;
            string? component = null;
            foreach (var attribute in property.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case HashNameAttribute:
                        hashName = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
                        if (hashName.Length == 0 || hashName.IndexOf('.') >= 0)
                        {
                            Report(DiagnosticDescriptors.InvalidHashName, memberLocation, hashName, property.Name);
                        }

                        break;
                    case NotHashedAttribute:
                        isHashed = false;
                        break;
                    case OmitIfDefaultAttribute:
                        omitIfDefault = true;
                        break;
                    case ComponentAttribute:
                        component = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
                        if (!ComponentName.IsMatch(component) || component == "params")
                        {
                            Report(DiagnosticDescriptors.InvalidComponentName, memberLocation, component, property.Name);
                        }

                        break;
                }
            }

            if (hashNames.TryGetValue(hashName, out var other))
            {
                Report(DiagnosticDescriptors.DuplicateHashName, memberLocation, other, property.Name, type.Name, hashName);
            }
            else
            {
                hashNames[hashName] = property.Name;
            }

            var constructorIndex = constructor is null ? -1 : IndexOfParameter(constructor, property.Name);
            var defaultLiteral = DefaultLiteral(property, constructor, constructorIndex, context.SemanticModel.Compilation, cancellationToken);
            if (omitIfDefault && defaultLiteral is null)
            {
                Report(DiagnosticDescriptors.OmitIfDefaultWithoutDefault, memberLocation, property.Name);
            }

            var settable = constructorIndex >= 0 || IsSettable(property);
            var cycle = FindCycle(type, property.Type, new List<string> { type.Name }, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));
            if (cycle is not null)
            {
                Report(DiagnosticDescriptors.GroupCycle, memberLocation, property.Name, type.Name, cycle);
            }

            members.Add(new MemberModel(
                property.Name,
                hashName,
                ParameterName(property.Name),
                value,
                isHashed,
                omitIfDefault,
                isHashed ? component : null,
                settable,
                constructorIndex,
                defaultLiteral));
        }

        if (diagnostics.Count > 0)
        {
            return new ParseResult(null, diagnostics.ToEquatableArray(), nameInfo);
        }

        var model = new TypeModel(
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            type.ToDisplayString(),
            Keyword(type),
            type.IsValueType,
            type.IsRecord,
            containing.ToEquatableArray(),
            experimentName,
            version,
            members.ToEquatableArray(),
            (constructor?.Parameters.Select(static p => p.Name) ?? Enumerable.Empty<string>()).ToEquatableArray(),
            enums.Values.OrderBy(static e => e.SafeName, StringComparer.Ordinal).ToEquatableArray(),
            BaseTypes(type).Any(static b => HasAttribute(b, ExperimentAttribute) || HasAttribute(b, ParameterGroupAttribute)),
            BaseTypes(type).Any(static b => HasAttribute(b, ExperimentAttribute)));
        return new ParseResult(model, EquatableArray<DiagnosticInfo>.Empty, nameInfo);
    }

    private static bool IsValidExperimentName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var segment in name.Split('/'))
        {
            // "." and ".." are folder names with a meaning of their own: a run folder must stay under its root.
            if (!NameSegment.IsMatch(segment) || segment == "." || segment == "..")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where a type's name is declared (its first declaration), for diagnostics about that type.</summary>
    private static LocationInfo? IdentifierLocation(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            ? LocationInfo.From(declaration.Identifier.GetLocation())
            : null;

    private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            yield return outer;
        }
    }

    private static IEnumerable<INamedTypeSymbol> BaseTypes(INamedTypeSymbol type)
    {
        for (var b = type.BaseType; b is not null; b = b.BaseType)
        {
            yield return b;
        }
    }

    private static bool HasAttribute(ISymbol symbol, string name)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

    private static bool IsPartial(INamedTypeSymbol type)
        => type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string Keyword(INamedTypeSymbol type)
    {
        var readonlyPrefix = type.IsValueType && type.IsReadOnly ? "readonly " : string.Empty;
        if (type.IsRecord)
        {
            return type.IsValueType ? readonlyPrefix + "record struct" : "record";
        }

        return type.TypeKind switch
        {
            TypeKind.Struct => readonlyPrefix + "struct",
            TypeKind.Interface => "interface",
            _ => "class",
        };
    }

    private static List<IPropertySymbol> CollectProperties(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var result = new List<IPropertySymbol>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            // Most derived first, so an override hides what it overrides; declaration order is restored below.
            foreach (var property in chain[i].GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                    || property.GetMethod is null || property.GetMethod.DeclaredAccessibility != Accessibility.Public
                    || property.Name == "EqualityContract" || !seen.Add(property.Name))
                {
                    continue;
                }

                result.Add(property);
            }
        }

        // Base members first, then each type's members in declaration order.
        return result
            .OrderBy(p => chain.FindIndex(t => SymbolEqualityComparer.Default.Equals(t, p.ContainingType) || SymbolEqualityComparer.Default.Equals(t, p.ContainingType.OriginalDefinition)))
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
    }

    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties)
    {
        IMethodSymbol? best = null;
        foreach (var ctor in type.InstanceConstructors)
        {
            if (ctor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                continue;
            }

            // The record copy constructor takes the type itself; it builds nothing new.
            if (ctor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(ctor.Parameters[0].Type, type))
            {
                continue;
            }

            var matches = ctor.Parameters.All(p => properties.Any(m =>
                string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase)
                && SymbolEqualityComparer.Default.Equals(m.Type.WithNullableAnnotation(NullableAnnotation.None), p.Type.WithNullableAnnotation(NullableAnnotation.None))));
            if (matches && (best is null || ctor.Parameters.Length > best.Parameters.Length))
            {
                best = ctor;
            }
        }

        return best;
    }

    private static int IndexOfParameter(IMethodSymbol constructor, string name)
    {
        for (var i = 0; i < constructor.Parameters.Length; i++)
        {
            if (string.Equals(constructor.Parameters[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsSettable(IPropertySymbol property)
        => property.SetMethod is { } set
           && set.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static string ParameterName(string name)
    {
        var camel = char.ToLowerInvariant(name[0]) + name.Substring(1);
        return SyntaxFacts.GetKeywordKind(camel) != SyntaxKind.None
            ? "@" + camel
            : camel;
    }

    private static string? DefaultLiteral(IPropertySymbol property, IMethodSymbol? constructor, int index, Compilation compilation, CancellationToken cancellationToken)
    {
        if (constructor is not null && index >= 0)
        {
            var parameter = constructor.Parameters[index];
            return parameter.HasExplicitDefaultValue ? Literal(parameter.ExplicitDefaultValue, parameter.Type) : null;
        }

        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is PropertyDeclarationSyntax { Initializer: { } initializer } declaration)
            {
                var constant = compilation.GetSemanticModel(declaration.SyntaxTree).GetConstantValue(initializer.Value, cancellationToken);
                return constant.HasValue ? Literal(constant.Value, property.Type) : null;
            }
        }

        return null;
    }

    /// <summary>A C# expression for a constant of the given type.</summary>
    internal static string Literal(object? value, ITypeSymbol type)
    {
        var typeName = type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return value is null ? "null" : Literal(value, nullable.TypeArguments[0]);
        }

        if (value is null)
        {
            return type.IsValueType ? $"default({typeName})" : "null";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return $"(({typeName})({Convert.ToString(value, CultureInfo.InvariantCulture)}))";
        }

        return value switch
        {
            bool b => b ? "true" : "false",
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            double d => "(" + d.ToString("R", CultureInfo.InvariantCulture) + "d)",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsInfinity(f) => f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity",
            float f => "(" + f.ToString("R", CultureInfo.InvariantCulture) + "f)",
            decimal m => "(" + m.ToString(CultureInfo.InvariantCulture) + "m)",
            ulong u => $"(({typeName}){u.ToString(CultureInfo.InvariantCulture)}UL)",
            _ when value is sbyte or byte or short or ushort or int or uint or long
                => $"(({typeName})({Convert.ToString(value, CultureInfo.InvariantCulture)}L))",
            _ => $"default({typeName})",
        };
    }

    /// <summary>Maps a member type onto canonical hash v1's table, or says why it cannot.</summary>
    private static ValueModel? Classify(ITypeSymbol type, Dictionary<string, EnumModel> enums, out string? problem)
    {
        problem = null;
        var typeName = type.ToDisplayString(TypeFormat);
        var canBeNull = !type.IsValueType;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = Classify(nullable.TypeArguments[0], enums, out problem);
            return inner is null ? null : inner with { TypeName = typeName, CanBeNull = true, IsNullableValueType = true };
        }

        var nonNull = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
        ValueModel Simple(ValueKind kind) => new(kind, typeName, nonNull, canBeNull, false, string.Empty, null, null, null);

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return Simple(ValueKind.Boolean);
            case SpecialType.System_SByte:
            case SpecialType.System_Int16:
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_IntPtr:
                return Simple(ValueKind.SignedInteger);
            case SpecialType.System_Byte:
            case SpecialType.System_UInt16:
            case SpecialType.System_UInt32:
            case SpecialType.System_UInt64:
            case SpecialType.System_UIntPtr:
                return Simple(ValueKind.UnsignedInteger);
            case SpecialType.System_Double: return Simple(ValueKind.Double);
            case SpecialType.System_Single: return Simple(ValueKind.Single);
            case SpecialType.System_Decimal: return Simple(ValueKind.Decimal);
            case SpecialType.System_String: return Simple(ValueKind.String);
            case SpecialType.System_Char: return Simple(ValueKind.Char);
            case SpecialType.System_DateTime: return Simple(ValueKind.DateTime);
        }

        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol enumType)
        {
            var safe = "Enum_" + Regex.Replace(enumType.ToDisplayString(), "[^A-Za-z0-9_]", "_");
            if (!enums.ContainsKey(safe))
            {
                var fields = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
                var members = fields.Select(f =>
                {
                    var text = Convert.ToString(f.ConstantValue, CultureInfo.InvariantCulture)!;
                    var unique = fields.Count(o => Equals(o.ConstantValue, f.ConstantValue)) == 1;
                    return new EnumMemberModel(f.Name, text, unique);
                });
                var underlying = enumType.EnumUnderlyingType!;
                enums[safe] = new EnumModel(
                    nonNull,
                    safe,
                    underlying.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    underlying.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64,
                    members.ToEquatableArray());
            }

            return Simple(ValueKind.Enum) with { EnumName = safe };
        }

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                problem = "use a one-dimensional array or a List<T>";
                return null;
            }

            var element = Classify(array.ElementType, enums, out problem);
            return element is null ? null : Simple(ValueKind.Array) with { Collection = "Array", Element = element };
        }

        if (type is not INamedTypeSymbol named)
        {
            problem = "use one of the supported types (see docs/hashing.md)";
            return null;
        }

        var definition = named.OriginalDefinition.ToDisplayString();
        switch (definition)
        {
            case "System.Guid": return Simple(ValueKind.Guid);
            case "System.DateTimeOffset": return Simple(ValueKind.DateTimeOffset);
            case "System.DateOnly": return Simple(ValueKind.DateOnly);
            case "System.TimeOnly": return Simple(ValueKind.TimeOnly);
            case "System.TimeSpan": return Simple(ValueKind.TimeSpan);
        }

        var shape = definition switch
        {
            "System.Collections.Generic.List<T>" => "List",
            "System.Collections.Generic.IList<T>" => "IList",
            "System.Collections.Generic.IReadOnlyList<T>" => "IReadOnlyList",
            "System.Collections.Generic.IEnumerable<T>" => "IEnumerable",
            "System.Collections.Immutable.ImmutableArray<T>" => "ImmutableArray",
            "System.Collections.Immutable.ImmutableList<T>" => "ImmutableList",
            "System.Collections.Generic.HashSet<T>" => "HashSet",
            "System.Collections.Generic.ISet<T>" => "ISet",
            "System.Collections.Generic.IReadOnlySet<T>" => "IReadOnlySet",
            "System.Collections.Immutable.ImmutableHashSet<T>" => "ImmutableHashSet",
            "System.Collections.Generic.SortedSet<T>" => "SortedSet",
            "System.Collections.Generic.Dictionary<TKey, TValue>" => "Dictionary",
            "System.Collections.Generic.IDictionary<TKey, TValue>" => "IDictionary",
            "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>" => "IReadOnlyDictionary",
            "System.Collections.Generic.SortedDictionary<TKey, TValue>" => "SortedDictionary",
            "System.Collections.Immutable.ImmutableDictionary<TKey, TValue>" => "ImmutableDictionary",
            "System.Collections.Immutable.ImmutableSortedDictionary<TKey, TValue>" => "ImmutableSortedDictionary",
            _ => null,
        };
        if (shape is not null && named.TypeArguments.Length == 1)
        {
            var element = Classify(named.TypeArguments[0], enums, out problem);
            if (element is null)
            {
                return null;
            }

            var kind = shape.IndexOf("Set", StringComparison.Ordinal) >= 0 ? ValueKind.Set : ValueKind.Array;
            return Simple(kind) with { Collection = shape, Element = element, CanBeNull = canBeNull };
        }

        if (shape is not null)
        {
            var key = Classify(named.TypeArguments[0], enums, out problem);
            if (key is null || key.IsNullableValueType || key.Kind is not (ValueKind.String or ValueKind.Enum or ValueKind.SignedInteger or ValueKind.UnsignedInteger))
            {
                problem = "dictionary keys must be string, an enum or an integer type";
                return null;
            }

            var element = Classify(named.TypeArguments[1], enums, out problem);
            return element is null ? null : Simple(ValueKind.Dictionary) with { Collection = shape, Key = key, Element = element };
        }

        if (HasAttribute(named, ParameterGroupAttribute) || HasAttribute(named, ExperimentAttribute))
        {
            return Simple(ValueKind.Group);
        }

        problem = named.TypeKind is TypeKind.Class or TypeKind.Struct && named.Locations.Any(l => l.IsInSource)
            ? $"mark '{named.Name}' with [ParameterGroup] and make it partial"
            : "use a supported type: numbers, bool, string, char, enums, Guid, dates and times, arrays, lists, sets, dictionaries or [ParameterGroup] types";
        return null;
    }

    /// <summary>Follows group-typed members (through collections) looking for the start type again.</summary>
    private static string? FindCycle(INamedTypeSymbol start, ITypeSymbol type, List<string> path, HashSet<ITypeSymbol> visited)
    {
        foreach (var reached in Reachable(type))
        {
            if (SymbolEqualityComparer.Default.Equals(reached, start))
            {
                return string.Join(" -> ", path.Concat(new[] { start.Name }));
            }

            if (!visited.Add(reached) || !(HasAttribute(reached, ParameterGroupAttribute) || HasAttribute(reached, ExperimentAttribute)))
            {
                continue;
            }

            path.Add(reached.Name);
            foreach (var property in reached.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                var found = FindCycle(start, property.Type, path, visited);
                if (found is not null)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
        }

        return null;
    }

    private static IEnumerable<INamedTypeSymbol> Reachable(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                foreach (var t in Reachable(array.ElementType))
                {
                    yield return t;
                }

                break;
            case INamedTypeSymbol named when named.IsGenericType:
                foreach (var argument in named.TypeArguments)
                {
                    foreach (var t in Reachable(argument))
                    {
                        yield return t;
                    }
                }

                break;
            case INamedTypeSymbol named:
                yield return (INamedTypeSymbol)named.OriginalDefinition;
                break;
        }
    }
}
