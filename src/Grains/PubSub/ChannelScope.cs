namespace Platform.Grains.PubSub;

/// <summary>Channels of SUBSCRIBE/PUBLISH and shard channels of SSUBSCRIBE/SPUBLISH are apart.</summary>
public enum ChannelScope
{
    /// <summary>SUBSCRIBE and PUBLISH.</summary>
    Channel,

    /// <summary>SSUBSCRIBE and SPUBLISH.</summary>
    Shard,
}
