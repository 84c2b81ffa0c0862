using Platform.Silo.Invocation;
using Platform.Silo.Observers;

namespace Platform.Silo.Runtime;

/// <summary>The runtime's <see cref="IGrainFactory"/>.</summary>
internal sealed class GrainFactory : IGrainFactory
{
    private readonly GrainRuntime _runtime;

    public GrainFactory(GrainRuntime runtime) => _runtime = runtime;

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        var binding = _runtime.GetBinding(typeof(TGrainInterface));

        // One allocation: the proxy. Nothing is activated until the first call.
        return (TGrainInterface)(object)binding.ProxyFactory(binding.GrainClass!, primaryKey);
    }

    public TObserver CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (observer is ObserverReference)
        {
            throw new ArgumentException("The observer is already an observer reference.", nameof(observer));
        }

        var factory = _runtime.GetObserverReferenceFactory(typeof(TObserver));
        var mailbox = new ObserverMailbox(observer, typeof(TObserver), _runtime.ObserverLogger);
        return (TObserver)(object)factory(mailbox);
    }

    public void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : IGrainObserver
    {
        if (reference is not ObserverReference { Mailbox: ObserverMailbox mailbox })
        {
            throw new ArgumentException("Not an observer reference made by CreateObjectReference.", nameof(reference));
        }

        mailbox.Close();
    }
}
