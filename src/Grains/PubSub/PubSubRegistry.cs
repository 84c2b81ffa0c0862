using System.Buffers;
using System.Collections.Concurrent;

namespace Platform.Grains.PubSub;

/// <summary>
/// Which channels have subscribers, and how many patterns are subscribed: Redis's pubsub_channels
/// and pubsub_patterns counts. Written only by the channel and pattern grains, in their turns;
/// read by anyone without a grain call, so that a PUBLISH to a channel nobody listens to costs a
/// lookup and activates nothing, and PUBSUB CHANNELS/NUMSUB/NUMPAT answer at once.
/// </summary>
public sealed class PubSubRegistry
{
    private const int StackNameLimit = 256;

    private readonly Scope _channels = new();
    private readonly Scope _shardChannels = new();
    private int _patterns;

    /// <summary>The number of distinct subscribed patterns (PUBSUB NUMPAT).</summary>
    public int PatternCount => Volatile.Read(ref _patterns);

    /// <summary>
    /// The grain of <paramref name="channel"/> if it has subscribers; found by the name's bytes
    /// without allocating.
    /// </summary>
    public IChannelGrainBase? FindChannel(ChannelScope scope, ReadOnlySpan<byte> channel)
    {
        var entries = Of(scope).Lookup;
        char[]? rented = null;
        var chars = channel.Length <= StackNameLimit
            ? stackalloc char[channel.Length]
            : (rented = ArrayPool<char>.Shared.Rent(channel.Length)).AsSpan(0, channel.Length);
        try
        {
            System.Text.Encoding.Latin1.GetChars(channel, chars);
            return entries.TryGetValue(chars, out var entry) ? entry.Grain : null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The number of subscribers of a channel (PUBSUB NUMSUB).</summary>
    public int SubscriberCount(ChannelScope scope, string channel) =>
        Of(scope).Entries.TryGetValue(channel, out var entry) ? entry.Subscribers : 0;

    /// <summary>Channels with at least one subscriber (PUBSUB CHANNELS), as grain keys.</summary>
    public IEnumerable<string> Channels(ChannelScope scope) => Of(scope).Entries.Keys;

    /// <summary>Records a channel's subscriber count (0 removes it). Called by the channel's grain.</summary>
    public void SetSubscribers(ChannelScope scope, string channel, int subscribers, IChannelGrainBase grain)
    {
        var entries = Of(scope).Entries;
        if (subscribers == 0)
        {
            entries.TryRemove(channel, out _);
        }
        else
        {
            entries[channel] = new Entry(grain, subscribers);
        }
    }

    /// <summary>Records the number of distinct patterns. Called by the pattern index.</summary>
    public void SetPatternCount(int patterns) => Volatile.Write(ref _patterns, patterns);

    private Scope Of(ChannelScope scope) => scope == ChannelScope.Shard ? _shardChannels : _channels;

    private sealed record Entry(IChannelGrainBase Grain, int Subscribers);

    private sealed class Scope
    {
        public Scope() => Lookup = Entries.GetAlternateLookup<ReadOnlySpan<char>>();

        public ConcurrentDictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
    }
}
