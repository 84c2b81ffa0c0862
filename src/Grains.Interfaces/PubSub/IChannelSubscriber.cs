using Platform.Silo;

namespace Platform.Grains.PubSub;

/// <summary>
/// A subscriber of channels and patterns: a RESP connection, an SSE stream, a WebSocket.
/// Subscribers are registered with the grains as they are (direct observers, not mailboxes):
/// <see cref="Deliver"/> must only append to the subscriber's own outbound buffer and return,
/// so a publish never waits for a subscriber's socket, and a slow subscriber is dealt with by
/// its own buffer's limits.
/// </summary>
public interface IChannelSubscriber : IGrainObserver
{
    /// <summary>Queues a message for sending. Never blocks; copies what it keeps.</summary>
    void Deliver(ChannelDelivery delivery);
}
