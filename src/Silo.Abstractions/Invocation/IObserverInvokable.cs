using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>A captured one-way call to an observer method.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IObserverInvokable : IInvokable
{
    /// <summary>Calls the method on the observer.</summary>
    /// <param name="observer">The observer (implements the method's interface).</param>
    void Invoke(object observer);
}
