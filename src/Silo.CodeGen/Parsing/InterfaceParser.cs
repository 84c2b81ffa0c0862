using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Platform.Silo.CodeGen.Model;

namespace Platform.Silo.CodeGen.Parsing;

/// <summary>Turns a grain or observer interface declaration into an <see cref="InterfaceModel"/>.</summary>
internal static class InterfaceParser
{
    public static InterfaceModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (InterfaceDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol symbol ||
            KnownTypes.Get(context.SemanticModel.Compilation) is not { } known)
        {
            return null;
        }

        var isGrain = known.IsGrainInterface(symbol);
        if (!isGrain && !known.IsObserverInterface(symbol))
        {
            return null;
        }

        // A partial interface has several declarations: only the first one with a base list produces the model, so
        // that the generated type and its diagnostics appear once.
        if (!IsFirstDeclarationWithBaseList(symbol, declaration))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Build(symbol, known, isObserver: !isGrain);
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

    private static InterfaceModel Build(INamedTypeSymbol symbol, KnownTypes known, bool isObserver)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var unreported = new List<DiagnosticInfo>();
        var methods = new List<MethodModel>();
        var displayName = symbol.ToDisplayString();
        var location = symbol.Locations.FirstOrDefault();

        if (EffectiveAccessibility.IsGenericOrInGeneric(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericInterface, location, displayName));
        }

        if (!EffectiveAccessibility.IsAccessibleInAssembly(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InaccessibleInterface, location, displayName));
        }

        foreach (var type in new[] { symbol }.Concat(symbol.AllInterfaces))
        {
            if (known.IsMarker(type))
            {
                continue;
            }

            // A member of another grain interface of this compilation is checked (and reported) there.
            var report = SymbolEqualityComparer.Default.Equals(type, symbol) ||
                !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, symbol.ContainingAssembly) ||
                !(known.IsGrainInterface(type) || known.IsObserverInterface(type));
            foreach (var member in type.GetMembers())
            {
                var method = ParseMember(member, type, symbol, known, isObserver, report ? diagnostics : unreported);
                if (method is not null)
                {
                    methods.Add(method);
                }
            }
        }

        var prefix = isObserver ? Naming.ObserverReferencePrefix : Naming.ProxyPrefix;
        return new InterfaceModel(
            Naming.FullName(symbol),
            Naming.GeneratedNamespace(symbol),
            Naming.GeneratedClassName(prefix, symbol),
            isObserver,
            EffectiveAccessibility.IsPublic(symbol),
            new EquatableArray<MethodModel>(methods),
            new EquatableArray<DiagnosticInfo>(diagnostics),
            HasErrors: diagnostics.Count + unreported.Count > 0);
    }

    private static MethodModel? ParseMember(
        ISymbol member,
        INamedTypeSymbol declaringInterface,
        INamedTypeSymbol generatedFor,
        KnownTypes known,
        bool isObserver,
        List<DiagnosticInfo> diagnostics)
    {
        var declaringName = declaringInterface.ToDisplayString();
        var location = member.Locations.FirstOrDefault(l => l.IsInSource &&
            SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, generatedFor.ContainingAssembly))
            ?? generatedFor.Locations.FirstOrDefault();

        switch (member)
        {
            case IPropertySymbol { IsStatic: false } property:
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.NotAMethod, location, declaringName, property.IsIndexer ? "indexer" : "property", property.Name));
                return null;
            case IEventSymbol { IsStatic: false } @event:
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotAMethod, location, declaringName, "event", @event.Name));
                return null;
            case IMethodSymbol { IsStatic: true, IsAbstract: true } or IMethodSymbol { IsStatic: true, IsVirtual: true }:
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotAMethod, location, declaringName, "static abstract member", member.Name));
                return null;
            case IPropertySymbol { IsStatic: true, IsAbstract: true } or IEventSymbol { IsStatic: true, IsAbstract: true }:
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotAMethod, location, declaringName, "static abstract member", member.Name));
                return null;
            case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method when method.IsAbstract || method.IsVirtual:
                return ParseMethod(method, declaringInterface, known, isObserver, location, diagnostics);
            default:
                // Accessors (reported with their property or event), static helpers, private or sealed
                // default-implemented methods and nested types need nothing.
                return null;
        }
    }

    private static MethodModel? ParseMethod(
        IMethodSymbol method,
        INamedTypeSymbol declaringInterface,
        KnownTypes known,
        bool isObserver,
        Location? location,
        List<DiagnosticInfo> diagnostics)
    {
        var displayName = declaringInterface.ToDisplayString() + "." + method.Name;
        var errors = diagnostics.Count;

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericMethod, location, displayName));
        }

        var (kind, resultType) = ClassifyReturn(method, known);
        if (isObserver && kind != ReturnKind.Void)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.UnsupportedObserverReturn, location, displayName, method.ReturnType.ToDisplayString()));
        }
        else if (!isObserver && (kind is ReturnKind.Void or ReturnKind.Unsupported || method.ReturnsByRef || method.ReturnsByRefReadonly))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.UnsupportedGrainReturn, location, displayName, method.ReturnType.ToDisplayString()));
        }

        var parameters = new List<ParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.ByRefParameter, location, displayName, parameter.Name, parameter.RefKind.ToString().ToLowerInvariant()));
            }
            else if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.UncapturableParameter, location, displayName, parameter.Name, parameter.Type.ToDisplayString()));
            }

            parameters.Add(new ParameterModel(Naming.FullName(parameter.Type), Naming.EscapeIdentifier(parameter.Name), parameter.IsParams));
        }

        if (diagnostics.Count != errors)
        {
            return null;
        }

        return new MethodModel(
            Naming.FullName(declaringInterface),
            Naming.EscapeIdentifier(method.Name),
            displayName,
            Naming.FullName(method.ReturnType),
            kind,
            resultType,
            new EquatableArray<ParameterModel>(parameters));
    }

    private static (ReturnKind Kind, string? ResultType) ClassifyReturn(IMethodSymbol method, KnownTypes known)
    {
        if (method.ReturnsVoid)
        {
            return (ReturnKind.Void, null);
        }

        if (method.ReturnType is not INamedTypeSymbol returnType)
        {
            return (ReturnKind.Unsupported, null);
        }

        var definition = returnType.OriginalDefinition;
        var comparer = SymbolEqualityComparer.Default;
        if (comparer.Equals(definition, known.Task))
        {
            return (ReturnKind.Task, null);
        }

        if (comparer.Equals(definition, known.ValueTask))
        {
            return (ReturnKind.ValueTask, null);
        }

        if (comparer.Equals(definition, known.TaskOfT))
        {
            return (ReturnKind.TaskOfT, Naming.FullName(returnType.TypeArguments[0]));
        }

        if (comparer.Equals(definition, known.ValueTaskOfT))
        {
            return (ReturnKind.ValueTaskOfT, Naming.FullName(returnType.TypeArguments[0]));
        }

        return (ReturnKind.Unsupported, null);
    }
}
