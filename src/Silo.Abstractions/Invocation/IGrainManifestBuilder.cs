using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>The runtime's registry that generated manifests fill. Registering the same type twice is harmless.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainManifestBuilder
{
    /// <summary>Registers the generated proxy of a grain interface.</summary>
    /// <param name="grainInterface">The grain interface.</param>
    /// <param name="factory">Creates a proxy for a key.</param>
    void AddGrainProxy(Type grainInterface, Func<GrainReferenceShared, string, GrainReference> factory);

    /// <summary>Registers the generated reference of an observer interface.</summary>
    /// <param name="observerInterface">The observer interface.</param>
    /// <param name="factory">Creates a reference that posts to a mailbox.</param>
    void AddObserverReference(Type observerInterface, Func<IObserverMailbox, ObserverReference> factory);

    /// <summary>Registers a grain class.</summary>
    /// <param name="grainClass">The grain class.</param>
    /// <param name="activator">Constructs an instance from the service provider (generated; no reflection).</param>
    /// <param name="grainInterfaces">The grain interfaces the class implements.</param>
    void AddGrain(Type grainClass, Func<IServiceProvider, Grain> activator, Type[] grainInterfaces);

    /// <summary>Registers another assembly's manifest (the generator includes those of referenced assemblies).</summary>
    /// <param name="manifest">The manifest.</param>
    void Include(IGrainManifest manifest);
}
