using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentKit.Generators;

/// <summary>
/// Finds the runner types of a compilation (non-abstract classes and structs implementing
/// <c>ExperimentKit.IExperimentRunner&lt;T&gt;</c>) and fingerprints their code.
/// </summary>
/// <remarks>
/// The fingerprint is the first 16 lowercase hex characters of SHA-256 over the UTF-8 bytes of the type's
/// tokens, taken from all of its declarations in order (file path with '/' separators, ordinal; then position
/// in the file). Each token adds its text as "&lt;length&gt;:&lt;text&gt;", with "\r\n" in the text read as "\n".
/// Trivia (comments, white space, line breaks between tokens, documentation comments, disabled #if code) is no
/// token, so it does not count. The length prefix keeps tokens apart even when a token holds a line break
/// (verbatim and raw string literals can), and line breaks inside a token are normalised so a checkout with
/// other line endings gives the same fingerprint.
/// </remarks>
internal static class RunnerFingerprinter
{
    private const string RunnerInterfaceName = "IExperimentRunner";
    private const string KitNamespace = "ExperimentKit";

    private static readonly SymbolDisplayFormat NameFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>Syntax only, so cheap: a class, struct or record declaration that names a base type or interface.</summary>
    public static bool IsCandidate(SyntaxNode node)
        => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax
            && ((TypeDeclarationSyntax)node).BaseList is not null;

    /// <summary>The runner declared by this candidate, or null when it is none or cannot be registered.</summary>
    public static RunnerModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol type
            || type.IsAbstract
            || type.IsStatic
            || type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || !ImplementsRunner(type)
            || !CanBeNamedFromAssemblyScope(type, cancellationToken))
        {
            return null;
        }

        var declarations = type.DeclaringSyntaxReferences
            .Select(static reference => (Path: reference.SyntaxTree.FilePath.Replace('\\', '/'), Reference: reference))
            .OrderBy(static part => part.Path, StringComparer.Ordinal)
            .ThenBy(static part => part.Reference.Span.Start)
            .Select(part => part.Reference.GetSyntax(cancellationToken));

        return new RunnerModel(
            type.ToDisplayString(NameFormat),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            Fingerprint(declarations));
    }

    /// <summary>The fingerprint of declarations already in order (see the class remarks).</summary>
    public static string Fingerprint(IEnumerable<SyntaxNode> declarations)
    {
        var text = new StringBuilder();
        foreach (var declaration in declarations)
        {
            foreach (var token in declaration.DescendantTokens())
            {
                var tokenText = token.Text;
                if (tokenText.IndexOf('\r') >= 0)
                {
                    tokenText = tokenText.Replace("\r\n", "\n");
                }

                text.Append(tokenText.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(tokenText);
            }
        }

        byte[] hash;
        using (var sha = SHA256.Create())
        {
            hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var hex = new StringBuilder(16);
        for (var i = 0; i < 8; i++)
        {
            hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>The type, or a base type, implements ExperimentKit.IExperimentRunner&lt;T&gt; for some T.</summary>
    private static bool ImplementsRunner(INamedTypeSymbol type)
    {
        foreach (var candidate in type.AllInterfaces)
        {
            var open = candidate.OriginalDefinition;
            if (open.Name == RunnerInterfaceName
                && open.Arity == 1
                && open.ContainingType is null
                && open.ContainingNamespace is { Name: KitNamespace, ContainingNamespace.IsGlobalNamespace: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// typeof(T) compiles in a top-level generated class: T and its containing types are not generic (an open
    /// type has no typeof without type arguments), not private or protected, and not file-local.
    /// </summary>
    private static bool CanBeNamedFromAssemblyScope(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.Arity > 0
                || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
                || IsFileLocal(current, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Declared with the 'file' modifier (C# 11; Roslyn 4.3 has no symbol API for it, so read the syntax).</summary>
    private static bool IsFileLocal(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MemberDeclarationSyntax declaration
                && declaration.Modifiers.Any(static modifier => modifier.ValueText == "file"))
            {
                return true;
            }
        }

        return false;
    }
}
