using System.Reflection;
using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>
/// What the registered assemblies' generated manifests provide: proxies, observer references and grain classes. Read
/// by reflection once, at startup (the manifest attribute); nothing on the call path uses reflection.
/// </summary>
internal sealed class GrainRegistry : IGrainManifestBuilder
{
    private readonly HashSet<Type> _manifests = [];

    public Dictionary<Type, Func<GrainReferenceShared, string, GrainReference>> Proxies { get; } = [];

    public Dictionary<Type, Func<IObserverMailbox, ObserverReference>> ObserverReferences { get; } = [];

    public Dictionary<Type, GrainClassRegistration> GrainClasses { get; } = [];

    public static GrainRegistry Build(IEnumerable<Assembly> assemblies)
    {
        var registry = new GrainRegistry();
        foreach (var assembly in assemblies)
        {
            registry.AddAssembly(assembly);
        }

        return registry;
    }

    public void AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var attribute = assembly.GetCustomAttribute<GrainManifestAttribute>() ?? throw new InvalidOperationException(
            $"Assembly '{assembly.GetName().Name}' has no generated grain manifest: reference Silo.CodeGen from its project " +
            "(<ProjectReference Include=\"..\\Silo.CodeGen\\Silo.CodeGen.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />).");
        Include((IGrainManifest)Activator.CreateInstance(attribute.ManifestType)!);
    }

    public void Include(IGrainManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (_manifests.Add(manifest.GetType()))
        {
            manifest.Populate(this);
        }
    }

    public void AddGrainProxy(Type grainInterface, Func<GrainReferenceShared, string, GrainReference> factory) =>
        Proxies.TryAdd(grainInterface, factory);

    public void AddObserverReference(Type observerInterface, Func<IObserverMailbox, ObserverReference> factory) =>
        ObserverReferences.TryAdd(observerInterface, factory);

    public void AddGrain(Type grainClass, Func<IServiceProvider, Grain> activator, Type[] grainInterfaces) =>
        GrainClasses.TryAdd(grainClass, new GrainClassRegistration(grainClass, activator, grainInterfaces));
}
