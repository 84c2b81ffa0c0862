using Platform.Grains.Matching;
using Platform.Silo;

namespace Platform.Grains.PubSub;

/// <summary>
/// Every PSUBSCRIBE pattern and its subscribers. A publish is matched against each pattern with
/// Redis's glob rules; each matching pattern's pmessage is encoded once and appended to all its
/// subscribers in this turn.
/// </summary>
internal sealed class PatternIndexGrain(PubSubRegistry registry) : Grain, IPatternIndexGrain
{
    private readonly Dictionary<string, Pattern> _byText = new(StringComparer.Ordinal);

    // The same patterns as a list: a publish walks it without a dictionary enumerator.
    private readonly List<Pattern> _patterns = [];

    public ValueTask SubscribeAsync(string pattern, IChannelSubscriber subscriber)
    {
        if (!_byText.TryGetValue(pattern, out var entry))
        {
            entry = new Pattern(pattern);
            _byText.Add(pattern, entry);
            _patterns.Add(entry);
            registry.SetPatternCount(_patterns.Count);
        }

        entry.Subscribers.Subscribe(subscriber);
        return ValueTask.CompletedTask;
    }

    public ValueTask UnsubscribeAsync(string pattern, IChannelSubscriber subscriber)
    {
        if (_byText.TryGetValue(pattern, out var entry) && entry.Subscribers.Unsubscribe(subscriber) && entry.Subscribers.Count == 0)
        {
            Remove(entry);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> PublishAsync(ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload)
    {
        var receivers = 0;
        for (var i = _patterns.Count - 1; i >= 0; i--)
        {
            var entry = _patterns[i];
            if (!GlobPattern.IsMatch(entry.Delivery.Pattern.Span, channel.Span))
            {
                continue;
            }

            entry.Delivery.Start(channel, payload);
            entry.Subscribers.Notify(static (subscriber, delivery) => subscriber.Deliver(delivery), entry.Delivery);
            entry.Delivery.Finish();
            receivers += entry.Subscribers.Count;
            if (entry.Subscribers.Count == 0)
            {
                Remove(entry);
            }
        }

        return ValueTask.FromResult(receivers);
    }

    private void Remove(Pattern entry)
    {
        _byText.Remove(entry.Text);
        _patterns.Remove(entry);
        registry.SetPatternCount(_patterns.Count);
    }

    private sealed class Pattern(string text)
    {
        public string Text { get; } = text;

        public ObserverManager<IChannelSubscriber> Subscribers { get; } = new();

        public ChannelDelivery Delivery { get; } = new(DeliveryKind.PatternMessage, GrainKeys.ToBytes(text));
    }
}
