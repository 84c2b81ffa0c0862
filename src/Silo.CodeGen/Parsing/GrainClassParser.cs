using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Platform.Silo.CodeGen.Model;

namespace Platform.Silo.CodeGen.Parsing;

/// <summary>Turns a grain class declaration into a <see cref="GrainClassModel"/>.</summary>
internal static class GrainClassParser
{
    public static GrainClassModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        var compilation = context.SemanticModel.Compilation;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol symbol ||
            symbol.IsAbstract ||
            KnownTypes.Get(compilation) is not { } known ||
            !known.DerivesFromGrain(symbol))
        {
            return null;
        }

        var grainInterfaces = symbol.AllInterfaces.Where(known.IsGrainInterface).ToList();
        if (grainInterfaces.Count == 0 || !IsFirstDeclarationWithBaseList(symbol, declaration))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();

        var displayName = symbol.ToDisplayString();
        var location = symbol.Locations.FirstOrDefault();
        var diagnostics = new List<DiagnosticInfo>();
        if (EffectiveAccessibility.IsGenericOrInGeneric(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericGrainClass, location, displayName));
        }

        if (!EffectiveAccessibility.IsAccessibleInAssembly(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InaccessibleGrainClass, location, displayName));
        }

        var parameters = ParseConstructor(symbol, known, displayName, location, diagnostics);

        var interfaces = new List<string>();
        var externalProxies = new List<ExternalProxyModel>();
        foreach (var grainInterface in grainInterfaces)
        {
            // Generic interfaces get no proxy (PLATSILO006 where they are declared): nothing to map.
            if (EffectiveAccessibility.IsGenericOrInGeneric(grainInterface))
            {
                continue;
            }

            var interfaceName = Naming.FullName(grainInterface);
            interfaces.Add(interfaceName);
            if (SymbolEqualityComparer.Default.Equals(grainInterface.ContainingAssembly, compilation.Assembly))
            {
                continue;
            }

            // The interface's own assembly generated its proxy (public, in a *.Generated namespace); register it here
            // too, so that a host registering only this assembly can still reach the grain.
            var proxyMetadataName = Naming.GeneratedNamespace(grainInterface) + "." +
                Naming.GeneratedClassName(Naming.ProxyPrefix, grainInterface);
            if (compilation.GetTypeByMetadataName(proxyMetadataName) is { } proxy && EffectiveAccessibility.IsPublic(proxy))
            {
                externalProxies.Add(new ExternalProxyModel(interfaceName, Naming.FullName(proxy)));
            }
            else
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.MissingExternalProxy,
                    location,
                    grainInterface.ToDisplayString(),
                    displayName,
                    grainInterface.ContainingAssembly.Name,
                    proxyMetadataName));
            }
        }

        interfaces.Sort(System.StringComparer.Ordinal);
        externalProxies.Sort((a, b) => System.StringComparer.Ordinal.Compare(a.InterfaceFullName, b.InterfaceFullName));
        return new GrainClassModel(
            Naming.FullName(symbol),
            new EquatableArray<ConstructorParameterModel>(parameters),
            new EquatableArray<string>(interfaces),
            new EquatableArray<ExternalProxyModel>(externalProxies),
            new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static bool IsFirstDeclarationWithBaseList(INamedTypeSymbol symbol, SyntaxNode declaration)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is BaseTypeDeclarationSyntax { BaseList: not null } first)
            {
                return first == declaration;
            }
        }

        return false;
    }

    private static List<ConstructorParameterModel> ParseConstructor(
        INamedTypeSymbol symbol,
        KnownTypes known,
        string displayName,
        Location? location,
        List<DiagnosticInfo> diagnostics)
    {
        var candidates = symbol.InstanceConstructors
            .Where(c => c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
            .ToList();
        var marked = candidates
            .Where(c => c.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.GrainConstructorAttribute)))
            .ToList();
        if (marked.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.SeveralGrainConstructors, location, displayName));
        }

        // The marked constructor, else the one with the most parameters (the first declared on a tie).
        var constructor = marked.Count > 0
            ? marked[0]
            : candidates.OrderByDescending(c => c.Parameters.Length).FirstOrDefault();
        if (constructor is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NoConstructor, location, displayName));
            return [];
        }

        var parameters = new List<ConstructorParameterModel>();
        foreach (var parameter in constructor.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.ByRefConstructorParameter, constructor.Locations.FirstOrDefault() ?? location, displayName, parameter.Name));
                continue;
            }

            var optional = parameter.NullableAnnotation == NullableAnnotation.Annotated ||
                (parameter.HasExplicitDefaultValue && parameter.ExplicitDefaultValue is null);
            parameters.Add(new ConstructorParameterModel(Naming.FullName(parameter.Type), optional));
        }

        return parameters;
    }
}
