using System.Buffers;
using Platform.Api.Server;
using Platform.Grains;
using Platform.Grains.PubSub;

namespace Platform.Api.Http.Subscribers;

/// <summary>
/// An SSE stream or a WebSocket as a Pub/Sub subscriber: the channels and patterns it joined,
/// and its outbox, which every message it receives is appended to in its wire form (encoded once
/// per publish for all subscribers of that form). Subscriptions change only on the client's own
/// request loop; deliveries come from any thread.
/// </summary>
internal sealed class HttpSubscriber : IChannelSubscriber
{
    private readonly ServerContext _server;
    private readonly DeliveryEncoding _encoding;
    private readonly Action<ChannelDelivery, IBufferWriter<byte>> _encode;
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);

    /// <param name="server">What the server shares.</param>
    /// <param name="outbox">Where messages are queued.</param>
    /// <param name="encoding">The wire form of this kind of subscriber.</param>
    /// <param name="encode">Writes a message in that form.</param>
    public HttpSubscriber(ServerContext server, SubscriberOutbox outbox, DeliveryEncoding encoding, Action<ChannelDelivery, IBufferWriter<byte>> encode)
    {
        _server = server;
        Outbox = outbox;
        _encoding = encoding;
        _encode = encode;
    }

    /// <summary>What this subscriber has to send.</summary>
    public SubscriberOutbox Outbox { get; }

    /// <summary>Channels and patterns joined, as Redis counts a client's subscriptions.</summary>
    public int Count => _channels.Count + _patterns.Count;

    /// <summary>The channels joined, as text.</summary>
    public IEnumerable<string> Channels => _channels.Select(GrainKeys.ToText);

    /// <summary>The patterns joined, as text.</summary>
    public IEnumerable<string> Patterns => _patterns.Select(GrainKeys.ToText);

    /// <inheritdoc/>
    public void Deliver(ChannelDelivery delivery) => Outbox.Append(delivery.Encoded(_encoding, _encode));

    /// <summary>
    /// Joins a channel (or a pattern). <paramref name="confirm"/> is called with the new count
    /// before the subscription takes effect, so a confirmation it queues precedes the first
    /// message. Returns false (and confirms all the same, as Redis does) when already joined.
    /// </summary>
    public async ValueTask<bool> SubscribeAsync(SubscriptionKind kind, string name, Action<int>? confirm = null)
    {
        var key = GrainKeys.FromText(name);
        var added = (kind == SubscriptionKind.Pattern ? _patterns : _channels).Add(key);
        confirm?.Invoke(Count);
        if (added)
        {
            if (kind == SubscriptionKind.Pattern)
            {
                await _server.Grains.GetGrain<IPatternIndexGrain>(IPatternIndexGrain.Key).SubscribeAsync(key, this).ConfigureAwait(false);
            }
            else
            {
                await _server.Grains.GetGrain<IChannelGrain>(key).SubscribeAsync(this).ConfigureAwait(false);
            }
        }

        return added;
    }

    /// <summary>
    /// Leaves a channel (or a pattern); the subscription ends before <paramref name="confirm"/>
    /// is called, so no message of it follows the confirmation.
    /// </summary>
    public async ValueTask UnsubscribeAsync(SubscriptionKind kind, string name, Action<int>? confirm = null)
    {
        var key = GrainKeys.FromText(name);
        if ((kind == SubscriptionKind.Pattern ? _patterns : _channels).Remove(key))
        {
            await LeaveAsync(kind, key).ConfigureAwait(false);
        }

        confirm?.Invoke(Count);
    }

    /// <summary>The names joined of one kind, as text (to leave them all).</summary>
    public string[] Joined(SubscriptionKind kind) =>
        [.. (kind == SubscriptionKind.Pattern ? _patterns : _channels).Select(GrainKeys.ToText)];

    /// <summary>Leaves everything (the client went away or was disconnected).</summary>
    public async ValueTask UnsubscribeAllAsync()
    {
        string[] channels = [.. _channels];
        string[] patterns = [.. _patterns];
        _channels.Clear();
        _patterns.Clear();
        foreach (var channel in channels)
        {
            await LeaveAsync(SubscriptionKind.Channel, channel).ConfigureAwait(false);
        }

        foreach (var pattern in patterns)
        {
            await LeaveAsync(SubscriptionKind.Pattern, pattern).ConfigureAwait(false);
        }
    }

    private ValueTask LeaveAsync(SubscriptionKind kind, string key) => kind == SubscriptionKind.Pattern
        ? _server.Grains.GetGrain<IPatternIndexGrain>(IPatternIndexGrain.Key).UnsubscribeAsync(key, this)
        : _server.Grains.GetGrain<IChannelGrain>(key).UnsubscribeAsync(this);
}

/// <summary>What a subscription names: a channel (SUBSCRIBE) or a glob pattern (PSUBSCRIBE).</summary>
internal enum SubscriptionKind
{
    /// <summary>A channel.</summary>
    Channel,

    /// <summary>A glob pattern of channels.</summary>
    Pattern,
}
