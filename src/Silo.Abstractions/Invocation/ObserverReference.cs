using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>Base class of generated observer references: each method posts its invokable to the mailbox.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ObserverReference : IAddressable
{
    /// <summary>Creates a reference that posts to <paramref name="mailbox"/>.</summary>
    /// <param name="mailbox">The observer's mailbox.</param>
    protected ObserverReference(IObserverMailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        Mailbox = mailbox;
    }

    /// <summary>The observer's mailbox.</summary>
    public IObserverMailbox Mailbox { get; }

    /// <summary>Queues a call to the observer (the struct is boxed once: it has to outlive this call).</summary>
    /// <typeparam name="TInvokable">The generated invokable.</typeparam>
    /// <param name="invokable">The captured call.</param>
    protected void Post<TInvokable>(TInvokable invokable)
        where TInvokable : struct, IObserverInvokable =>
        Mailbox.Post(invokable);
}
