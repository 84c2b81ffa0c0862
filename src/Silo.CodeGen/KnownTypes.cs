using Microsoft.CodeAnalysis;

namespace Platform.Silo.CodeGen;

/// <summary>The programming model's types as seen by one compilation; <see langword="null"/> when Abstractions is not referenced.</summary>
internal sealed class KnownTypes
{
    public const string GrainWithStringKeyName = "Platform.Silo.IGrainWithStringKey";
    public const string GrainObserverName = "Platform.Silo.IGrainObserver";
    public const string GrainName = "Platform.Silo.IGrain";
    public const string AddressableName = "Platform.Silo.IAddressable";
    public const string GrainClassName = "Platform.Silo.Grain";
    public const string GrainConstructorAttributeName = "Platform.Silo.GrainConstructorAttribute";
    public const string ManifestAttributeName = "Platform.Silo.Invocation.GrainManifestAttribute";
    public const string AbstractionsAssemblyName = "Platform.Silo.Abstractions";

    private KnownTypes(Compilation compilation, INamedTypeSymbol grainWithStringKey, INamedTypeSymbol grainObserver)
    {
        GrainWithStringKey = grainWithStringKey;
        GrainObserver = grainObserver;
        Grain = compilation.GetTypeByMetadataName(GrainName);
        Addressable = compilation.GetTypeByMetadataName(AddressableName);
        GrainClass = compilation.GetTypeByMetadataName(GrainClassName);
        GrainConstructorAttribute = compilation.GetTypeByMetadataName(GrainConstructorAttributeName);
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
    }

    public INamedTypeSymbol GrainWithStringKey { get; }

    public INamedTypeSymbol GrainObserver { get; }

    public INamedTypeSymbol? Grain { get; }

    public INamedTypeSymbol? Addressable { get; }

    public INamedTypeSymbol? GrainClass { get; }

    public INamedTypeSymbol? GrainConstructorAttribute { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public static KnownTypes? Get(Compilation compilation)
    {
        var grainWithStringKey = compilation.GetTypeByMetadataName(GrainWithStringKeyName);
        var grainObserver = compilation.GetTypeByMetadataName(GrainObserverName);
        return grainWithStringKey is null || grainObserver is null
            ? null
            : new KnownTypes(compilation, grainWithStringKey, grainObserver);
    }

    /// <summary>The marker interfaces themselves: they have no members and get no proxy.</summary>
    public bool IsMarker(INamedTypeSymbol type) =>
        Eq(type, GrainWithStringKey) || Eq(type, GrainObserver) || Eq(type, Grain) || Eq(type, Addressable);

    public bool IsGrainInterface(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface && !IsMarker(type) && Implements(type, GrainWithStringKey);

    public bool IsObserverInterface(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface && !IsMarker(type) && !Implements(type, GrainWithStringKey) &&
        Implements(type, GrainObserver);

    public bool DerivesFromGrain(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (Eq(current, GrainClass))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol marker)
    {
        foreach (var candidate in type.AllInterfaces)
        {
            if (Eq(candidate, marker))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Eq(ISymbol? left, ISymbol? right) => SymbolEqualityComparer.Default.Equals(left, right);
}
