using Platform.Silo;

namespace Platform.Grains.PubSub;

/// <summary>
/// The PSUBSCRIBE patterns of the whole server and their subscribers (one activation, key
/// <see cref="Key"/>): a PUBLISH is matched against every pattern, as Redis does.
/// </summary>
public interface IPatternIndexGrain : IGrainWithStringKey
{
    /// <summary>The key of the one pattern index.</summary>
    const string Key = "patterns";

    /// <summary>Adds a subscriber to a pattern.</summary>
    ValueTask SubscribeAsync(string pattern, IChannelSubscriber subscriber);

    /// <summary>Removes a subscriber from a pattern.</summary>
    ValueTask UnsubscribeAsync(string pattern, IChannelSubscriber subscriber);

    /// <summary>Delivers a pmessage to the subscribers of every pattern matching <paramref name="channel"/>; returns how many received it.</summary>
    ValueTask<int> PublishAsync(ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload);
}
