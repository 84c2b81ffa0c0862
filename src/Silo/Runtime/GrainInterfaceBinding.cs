using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>
/// A grain interface bound to its proxy factory and the one grain class that implements it; or, if none or several
/// do, the error <see cref="IGrainFactory.GetGrain{TGrainInterface}(string)"/> throws.
/// </summary>
internal sealed class GrainInterfaceBinding
{
    public GrainInterfaceBinding(Func<GrainReferenceShared, string, GrainReference> proxyFactory, GrainClass? grainClass, string? error)
    {
        ProxyFactory = proxyFactory;
        GrainClass = grainClass;
        Error = error;
    }

    public Func<GrainReferenceShared, string, GrainReference> ProxyFactory { get; }

    public GrainClass? GrainClass { get; }

    public string? Error { get; }
}
