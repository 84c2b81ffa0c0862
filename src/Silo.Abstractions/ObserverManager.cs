using System.Collections;

namespace Platform.Silo;

/// <summary>
/// Holds a grain's subscribers and notifies them (Orleans's <c>ObserverManager</c> shape). Use it inside the grain's
/// turns only: it is not thread-safe, and needs no lock there.
/// </summary>
/// <typeparam name="TObserver">The observer type, usually an <see cref="IGrainObserver"/> interface.</typeparam>
/// <remarks>
/// Failing observers are considered defunct and will be removed: an observer whose method throws during
/// <see cref="Notify(Action{TObserver})"/> is unsubscribed. An observer reference made by
/// <see cref="IGrainFactory.CreateObjectReference{TObserver}(TObserver)"/> throws only once it has been deleted (its
/// notifications are queued, and a failure inside the observer is the mailbox's to log), so deleted references are
/// dropped on the next notification.
/// </remarks>
public sealed class ObserverManager<TObserver> : IReadOnlyCollection<TObserver>
    where TObserver : notnull
{
    // A dictionary rather than a list: unsubscribing is O(1) for channels with many subscribers, and its
    // struct enumerator lets Notify iterate without allocating.
    private readonly Dictionary<TObserver, bool> _observers = [];
    private readonly Action<TObserver, Exception>? _onDefunct;

    /// <summary>Creates an empty manager.</summary>
    public ObserverManager()
    {
    }

    /// <summary>Creates an empty manager that reports observers it removes as defunct.</summary>
    /// <param name="onDefunct">Called with each removed observer and the exception it threw (e.g. to log it).</param>
    public ObserverManager(Action<TObserver, Exception> onDefunct) => _onDefunct = onDefunct;

    /// <summary>The number of subscribed observers.</summary>
    public int Count => _observers.Count;

    /// <summary>Subscribes an observer; subscribing it again has no effect.</summary>
    /// <param name="observer">The observer.</param>
    public void Subscribe(TObserver observer) => _observers.TryAdd(observer, true);

    /// <summary>Unsubscribes an observer.</summary>
    /// <param name="observer">The observer.</param>
    /// <returns>Whether it was subscribed.</returns>
    public bool Unsubscribe(TObserver observer) => _observers.Remove(observer);

    /// <summary>Whether an observer is subscribed.</summary>
    /// <param name="observer">The observer.</param>
    /// <returns><see langword="true"/> if it is.</returns>
    public bool Contains(TObserver observer) => _observers.ContainsKey(observer);

    /// <summary>Unsubscribes every observer.</summary>
    public void Clear() => _observers.Clear();

    /// <summary>Calls <paramref name="notification"/> for each observer; observers that throw are removed.</summary>
    /// <param name="notification">The call to make on each observer.</param>
    public void Notify(Action<TObserver> notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Notify(static (observer, action) => action(observer), notification);
    }

    /// <summary>
    /// Calls <paramref name="notification"/> with <paramref name="state"/> for each observer, allocating nothing per
    /// observer (pass a static lambda); observers that throw are removed.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <param name="notification">The call to make on each observer.</param>
    /// <param name="state">The state passed to each call.</param>
    public void Notify<TState>(Action<TObserver, TState> notification, TState state)
    {
        ArgumentNullException.ThrowIfNull(notification);
        List<(TObserver Observer, Exception Error)>? defunct = null;
        foreach (var observer in _observers.Keys)
        {
            try
            {
                notification(observer, state);
            }
            catch (Exception error)
            {
                // Removed after the loop: the dictionary must not change while it is enumerated.
                (defunct ??= []).Add((observer, error));
            }
        }

        if (defunct is null)
        {
            return;
        }

        foreach (var (observer, error) in defunct)
        {
            _observers.Remove(observer);
            _onDefunct?.Invoke(observer, error);
        }
    }

    /// <summary>Enumerates the subscribed observers.</summary>
    /// <returns>An enumerator.</returns>
    public Dictionary<TObserver, bool>.KeyCollection.Enumerator GetEnumerator() => _observers.Keys.GetEnumerator();

    IEnumerator<TObserver> IEnumerable<TObserver>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
