using Platform.Api.Configuration;
using Platform.Api.Resp.PubSub;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Connections;

/// <summary>The connection as a Pub/Sub subscriber: its subscriptions and the delivery of messages.</summary>
internal sealed partial class RespSession : IChannelSubscriber
{
    // Allocated on first use: most connections never subscribe.
    private HashSet<string>? _channels;
    private HashSet<string>? _patterns;
    private HashSet<string>? _shardChannels;
    private long _softLimitSince = -1;

    /// <summary>Channels subscribed with SUBSCRIBE, as grain keys.</summary>
    public HashSet<string> Channels => _channels ??= new(StringComparer.Ordinal);

    /// <summary>Patterns subscribed with PSUBSCRIBE, as grain keys.</summary>
    public HashSet<string> Patterns => _patterns ??= new(StringComparer.Ordinal);

    /// <summary>Shard channels subscribed with SSUBSCRIBE, as grain keys.</summary>
    public HashSet<string> ShardChannels => _shardChannels ??= new(StringComparer.Ordinal);

    /// <summary>Channels subscribed with SUBSCRIBE.</summary>
    public int ChannelSubscriptions => _channels?.Count ?? 0;

    /// <summary>Patterns subscribed with PSUBSCRIBE.</summary>
    public int PatternSubscriptions => _patterns?.Count ?? 0;

    /// <summary>Shard channels subscribed with SSUBSCRIBE.</summary>
    public int ShardSubscriptions => _shardChannels?.Count ?? 0;

    /// <summary>Subscribed to anything (Redis's CLIENT_PUBSUB flag).</summary>
    public bool IsSubscribed => ChannelSubscriptions + PatternSubscriptions + ShardSubscriptions > 0;

    /// <inheritdoc/>
    public void Deliver(ChannelDelivery delivery)
    {
        var pending = _output.Append(PushFrames.For(delivery, Protocol));
        EnforceOutputLimit(pending);
    }

    /// <summary>
    /// Applies client-output-buffer-limit for this client's class: past the hard limit, or past
    /// the soft limit for longer than its seconds, the client is closed, as Redis does, so one
    /// slow reader never holds memory or slows anyone else.
    /// </summary>
    private void EnforceOutputLimit(long pending)
    {
        var limit = _server.Config.OutputBufferLimits.For(IsSubscribed ? OutputBufferClass.PubSub : OutputBufferClass.Normal);
        var now = Environment.TickCount64;
        var overSoft = limit.SoftBytes > 0 && pending >= limit.SoftBytes;
        if (!overSoft)
        {
            Volatile.Write(ref _softLimitSince, -1);
        }
        else if (Volatile.Read(ref _softLimitSince) < 0)
        {
            Volatile.Write(ref _softLimitSince, now);
            overSoft = false;
        }
        else
        {
            overSoft = (now - Volatile.Read(ref _softLimitSince)) / 1000 > limit.SoftSeconds;
        }

        // Messages keep coming until the connection is gone: it is closed, counted and logged once.
        if (((limit.HardBytes > 0 && pending >= limit.HardBytes) || overSoft) && Kill())
        {
            _server.Stats.OutputBufferLimitDisconnection();
            Log.OutputBufferLimit(_logger, Id, Address, pending);
        }
    }

    /// <summary>Leaves every channel, pattern and shard channel (RESET, and the connection closing).</summary>
    public async ValueTask UnsubscribeAllAsync()
    {
        var grains = _server.Grains;
        foreach (var channel in Drain(_channels))
        {
            await grains.GetGrain<IChannelGrain>(channel).UnsubscribeAsync(this).ConfigureAwait(false);
        }

        foreach (var channel in Drain(_shardChannels))
        {
            await grains.GetGrain<IShardChannelGrain>(channel).UnsubscribeAsync(this).ConfigureAwait(false);
        }

        var patterns = grains.GetGrain<IPatternIndexGrain>(IPatternIndexGrain.Key);
        foreach (var pattern in Drain(_patterns))
        {
            await patterns.UnsubscribeAsync(pattern, this).ConfigureAwait(false);
        }
    }

    private static string[] Drain(HashSet<string>? set)
    {
        if (set is null || set.Count == 0)
        {
            return [];
        }

        string[] all = [.. set];
        set.Clear();
        return all;
    }
}
