namespace Platform.Grains.PubSub;

/// <summary>The wire forms a delivery is encoded to, each once per publish whatever the number of subscribers.</summary>
public enum DeliveryEncoding
{
    /// <summary>A RESP2 array (subscribed mode).</summary>
    Resp2,

    /// <summary>A RESP3 push frame.</summary>
    Resp3,

    /// <summary>A server-sent event.</summary>
    ServerSentEvent,

    /// <summary>A WebSocket text frame's JSON.</summary>
    WebSocketJson,
}
