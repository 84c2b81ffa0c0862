using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Platform.Client;

/// <summary>
/// A confirmed subscription to a channel or a pattern. Enumerate it (<c>await foreach</c>) to receive
/// its messages; when the enumeration ends — the loop breaks, its token is cancelled, or the
/// subscription is disposed — the client leaves the subscription (UNSUBSCRIBE / PUNSUBSCRIBE once
/// no other subscription of this client needs it). After a reconnect the client subscribes again
/// by itself; messages published while it was disconnected are lost, as in Redis. Read it from one
/// reader at a time.
/// </summary>
public sealed class ChannelSubscription : IAsyncEnumerable<ChannelMessage>, IAsyncDisposable
{
    private readonly PubSub.SubscriptionManager _manager;
    private readonly Channel<ChannelMessage> _queue =
        Channel.CreateUnbounded<ChannelMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private int _disposed;

    internal ChannelSubscription(PubSub.SubscriptionManager manager, string name, bool isPattern)
    {
        _manager = manager;
        Name = name;
        IsPattern = isPattern;
    }

    /// <summary>The channel, or the pattern for a pattern subscription.</summary>
    public string Name { get; }

    /// <summary>Whether this is a pattern subscription (PSUBSCRIBE).</summary>
    public bool IsPattern { get; }

    /// <summary>Messages received and not yet read.</summary>
    public int Count => _queue.Reader.Count;

    /// <summary>Waits for the next message; throws <see cref="ChannelClosedException"/> once the subscription has ended.</summary>
    public ValueTask<ChannelMessage> ReadAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAsync(cancellationToken);

    /// <summary>Waits until a message is available; false once the subscription has ended.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => _queue.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes a message that has already arrived, if any.</summary>
    public bool TryRead(out ChannelMessage message) => _queue.Reader.TryRead(out message);

    /// <summary>Enumerates messages as they arrive; ending the enumeration leaves the subscription.</summary>
    public async IAsyncEnumerator<ChannelMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var message))
                {
                    yield return message;
                }
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Leaves the subscription; an enumeration in progress ends after the messages already received.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _manager.UnsubscribeAsync(this).ConfigureAwait(false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Deliver(in ChannelMessage message) => _queue.Writer.TryWrite(message);
}
