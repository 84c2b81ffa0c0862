namespace Platform.Silo;

/// <summary>Creates references to grains and to observers.</summary>
public interface IGrainFactory
{
    /// <summary>
    /// Returns a reference to the grain with the given key. This activates nothing and costs one small object; the
    /// grain is activated on the first call made through a reference.
    /// </summary>
    /// <typeparam name="TGrainInterface">The grain interface.</typeparam>
    /// <param name="primaryKey">The grain's key.</param>
    /// <returns>A reference (proxy) implementing <typeparamref name="TGrainInterface"/>.</returns>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey;

    /// <summary>
    /// Wraps a local observer in a reference that grains can hold and call. Calls on the reference are queued to the
    /// observer's mailbox and delivered on the thread pool, one at a time and in order.
    /// </summary>
    /// <typeparam name="TObserver">The observer interface.</typeparam>
    /// <param name="observer">The object that receives the notifications.</param>
    /// <returns>The observer reference.</returns>
    TObserver CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : IGrainObserver;

    /// <summary>
    /// Stops delivery through a reference made by <see cref="CreateObjectReference{TObserver}(TObserver)"/>: pending
    /// notifications are dropped and later calls on the reference throw <see cref="ObjectDisposedException"/>, which
    /// makes an <see cref="ObserverManager{TObserver}"/> drop it as defunct.
    /// </summary>
    /// <typeparam name="TObserver">The observer interface.</typeparam>
    /// <param name="reference">The reference to delete.</param>
    void DeleteObjectReference<TObserver>(TObserver reference)
        where TObserver : IGrainObserver;
}
