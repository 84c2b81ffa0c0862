namespace Platform.Grains.PubSub;

/// <summary>How a message reached a subscriber, as Redis names the push: message, pmessage, smessage.</summary>
public enum DeliveryKind
{
    /// <summary>PUBLISH to a channel the subscriber subscribed to.</summary>
    Message,

    /// <summary>PUBLISH to a channel matching a pattern the subscriber subscribed to.</summary>
    PatternMessage,

    /// <summary>SPUBLISH to a shard channel the subscriber subscribed to.</summary>
    ShardMessage,
}
