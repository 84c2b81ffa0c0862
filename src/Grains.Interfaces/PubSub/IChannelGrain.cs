using Platform.Silo;

namespace Platform.Grains.PubSub;

/// <summary>
/// The subscribers of one channel (key: the channel name, see <see cref="GrainKeys"/>) and the
/// fan-out of what is published to it. <see cref="IChannelGrain"/> holds SUBSCRIBE/PUBLISH
/// channels, <see cref="IShardChannelGrain"/> SSUBSCRIBE/SPUBLISH ones: the two never meet.
/// </summary>
public interface IChannelGrainBase : IGrainWithStringKey
{
    /// <summary>Adds a subscriber; returns the channel's subscriber count.</summary>
    ValueTask<int> SubscribeAsync(IChannelSubscriber subscriber);

    /// <summary>Removes a subscriber.</summary>
    ValueTask UnsubscribeAsync(IChannelSubscriber subscriber);

    /// <summary>Delivers <paramref name="payload"/> to every subscriber; returns how many received it.</summary>
    /// <remarks>The payload is only read during the call: the caller may reuse its memory after.</remarks>
    ValueTask<int> PublishAsync(ReadOnlyMemory<byte> payload);
}

/// <summary>A channel of SUBSCRIBE and PUBLISH.</summary>
public interface IChannelGrain : IChannelGrainBase;

/// <summary>A shard channel of SSUBSCRIBE and SPUBLISH.</summary>
public interface IShardChannelGrain : IChannelGrainBase;
