using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Platform.Silo.CodeGen;

/// <summary>
/// Names of generated types. Deterministic from the interface alone, so that an assembly can name the proxy another
/// assembly generated for its interface.
/// </summary>
internal static class Naming
{
    public const string ProxyPrefix = "Proxy_";
    public const string ObserverReferencePrefix = "ObserverReference_";
    public const string ManifestClassName = "GrainManifest";

    /// <summary>Fully qualified with <c>global::</c> and nullable annotations.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static string FullName(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>Where an interface's generated type goes: its namespace plus <c>.Generated</c>.</summary>
    public static string GeneratedNamespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + ".Generated" : "Generated";

    /// <summary><c>Proxy_Outer_IFoo</c> for <c>Outer.IFoo</c>.</summary>
    public static string GeneratedClassName(string prefix, INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            names.Add(current.Name);
        }

        names.Reverse();
        return prefix + string.Join("_", names);
    }

    /// <summary>The manifest's namespace: the assembly name made into a valid namespace, plus <c>.Generated</c>.</summary>
    public static string ManifestNamespace(string? assemblyName)
    {
        var parts = (assemblyName ?? "Assembly").Split('.').Select(SanitizeIdentifier);
        return string.Join(".", parts) + ".Generated";
    }

    /// <summary>Escapes a parameter name that is a C# keyword.</summary>
    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;

    private static string SanitizeIdentifier(string part)
    {
        if (part.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(part.Length + 1);
        if (!SyntaxFacts.IsIdentifierStartCharacter(part[0]))
        {
            builder.Append('_');
        }

        foreach (var c in part)
        {
            builder.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
        }

        var result = builder.ToString();
        return SyntaxFacts.GetKeywordKind(result) != SyntaxKind.None ? "@" + result : result;
    }
}
