using Platform.Silo;

namespace Platform.Grains.PubSub;

/// <summary>
/// PUBLISH and SPUBLISH, for every front end (RESP, HTTP) and for the grains' own keyspace
/// events: the channel's subscribers first, then those of matching patterns, as Redis orders them.
/// Channels and patterns nobody subscribed to cost a lookup and no grain call.
/// </summary>
public sealed class Publisher(IGrainFactory grains, PubSubRegistry registry)
{
    private readonly IPatternIndexGrain _patterns = grains.GetGrain<IPatternIndexGrain>(IPatternIndexGrain.Key);

    /// <summary>The registry of subscribed channels and patterns.</summary>
    public PubSubRegistry Registry => registry;

    /// <summary>PUBLISH: returns the number of subscribers that received the message.</summary>
    /// <remarks>The memory is only read during the call.</remarks>
    public ValueTask<int> PublishAsync(ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload)
    {
        var grain = registry.FindChannel(ChannelScope.Channel, channel.Span);
        var hasPatterns = registry.PatternCount > 0;
        if (grain is null)
        {
            return hasPatterns ? PublishToPatternsAsync(0, channel, payload) : ValueTask.FromResult(0);
        }

        var sent = grain.PublishAsync(payload);
        if (!hasPatterns)
        {
            return sent;
        }

        return sent.IsCompletedSuccessfully
            ? PublishToPatternsAsync(sent.Result, channel, payload)
            : ThenPatternsAsync(sent, channel, payload);
    }

    /// <summary>SPUBLISH: returns the number of shard subscribers that received the message.</summary>
    public ValueTask<int> ShardPublishAsync(ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload) =>
        registry.FindChannel(ChannelScope.Shard, channel.Span) is { } grain ? grain.PublishAsync(payload) : ValueTask.FromResult(0);

    private async ValueTask<int> ThenPatternsAsync(ValueTask<int> sent, ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload)
    {
        var receivers = await sent.ConfigureAwait(false);
        return await PublishToPatternsAsync(receivers, channel, payload).ConfigureAwait(false);
    }

    private ValueTask<int> PublishToPatternsAsync(int receivers, ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload)
    {
        var sent = _patterns.PublishAsync(channel, payload);
        return sent.IsCompletedSuccessfully ? ValueTask.FromResult(receivers + sent.Result) : AddAsync(receivers, sent);
    }

    private static async ValueTask<int> AddAsync(int receivers, ValueTask<int> sent) => receivers + await sent.ConfigureAwait(false);
}
