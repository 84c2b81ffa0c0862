using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>
/// The runtime's queue in front of one observer: notifications are delivered one at a time, in order, off the
/// sender's thread. Implemented by the runtime; used by generated observer references.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IObserverMailbox
{
    /// <summary>Queues a notification and returns at once.</summary>
    /// <param name="invokable">The captured call.</param>
    /// <exception cref="ObjectDisposedException">The reference was deleted.</exception>
    void Post(IObserverInvokable invokable);
}
