using Platform.Silo;

namespace Platform.Grains.PubSub;

/// <summary>
/// A channel's subscribers and its fan-out: a publish is encoded once per wire form and the same
/// bytes are appended to every subscriber's buffer, in this one turn, with no await per
/// subscriber. A channel left without subscribers deactivates, so it holds no memory.
/// </summary>
internal abstract class ChannelGrainBase(PubSubRegistry registry) : Grain
{
    private readonly ObserverManager<IChannelSubscriber> _subscribers = new();
    private ChannelDelivery _delivery = null!;
    private int _registered;

    /// <summary>Which kind of channel this is.</summary>
    protected abstract ChannelScope Scope { get; }

    /// <summary>A reference to this grain, for the registry.</summary>
    protected abstract IChannelGrainBase Self { get; }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var kind = Scope == ChannelScope.Shard ? DeliveryKind.ShardMessage : DeliveryKind.Message;
        _delivery = new ChannelDelivery(kind, GrainKeys.ToBytes(GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    public ValueTask<int> SubscribeAsync(IChannelSubscriber subscriber)
    {
        _subscribers.Subscribe(subscriber);
        UpdateRegistry();
        return ValueTask.FromResult(_subscribers.Count);
    }

    public ValueTask UnsubscribeAsync(IChannelSubscriber subscriber)
    {
        if (_subscribers.Unsubscribe(subscriber))
        {
            UpdateRegistry();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> PublishAsync(ReadOnlyMemory<byte> payload)
    {
        if (_subscribers.Count == 0)
        {
            return ValueTask.FromResult(0);
        }

        _delivery.Start(_delivery.Channel, payload);
        _subscribers.Notify(static (subscriber, delivery) => subscriber.Deliver(delivery), _delivery);
        _delivery.Finish();

        // A subscriber that threw was dropped by the manager: keep the registry's count true.
        UpdateRegistry();
        return ValueTask.FromResult(_subscribers.Count);
    }

    // Tells the registry the subscriber count when it changed; an empty channel leaves it and deactivates.
    private void UpdateRegistry()
    {
        var count = _subscribers.Count;
        if (count == _registered)
        {
            return;
        }

        registry.SetSubscribers(Scope, GetPrimaryKeyString(), count, Self);
        _registered = count;
        if (count == 0)
        {
            DeactivateOnIdle();
        }
    }
}

/// <summary>A SUBSCRIBE/PUBLISH channel.</summary>
internal sealed class ChannelGrain(PubSubRegistry registry) : ChannelGrainBase(registry), IChannelGrain
{
    protected override ChannelScope Scope => ChannelScope.Channel;

    protected override IChannelGrainBase Self => GrainFactory.GetGrain<IChannelGrain>(GetPrimaryKeyString());
}

/// <summary>An SSUBSCRIBE/SPUBLISH shard channel.</summary>
internal sealed class ShardChannelGrain(PubSubRegistry registry) : ChannelGrainBase(registry), IShardChannelGrain
{
    protected override ChannelScope Scope => ChannelScope.Shard;

    protected override IChannelGrainBase Self => GrainFactory.GetGrain<IShardChannelGrain>(GetPrimaryKeyString());
}
