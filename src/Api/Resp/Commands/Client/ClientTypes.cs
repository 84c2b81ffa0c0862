namespace Platform.Api.Resp.Commands.Client;

/// <summary>Redis's client types for CLIENT LIST TYPE and CLIENT KILL TYPE.</summary>
internal enum ClientType
{
    /// <summary>A client running commands.</summary>
    Normal,

    /// <summary>A replica (we have none).</summary>
    Replica,

    /// <summary>A master (we have none).</summary>
    Master,

    /// <summary>A client in RESP2 subscribed mode.</summary>
    PubSub,
}

/// <summary>Parsing and classifying client types.</summary>
internal static class ClientTypes
{
    /// <summary>The type named as Redis's getClientTypeByName reads it; null when unknown.</summary>
    public static ClientType? Parse(ReadOnlySpan<byte> name)
    {
        if (Ascii.EqualsIgnoreCase(name, "normal"u8))
        {
            return ClientType.Normal;
        }

        if (Ascii.EqualsIgnoreCase(name, "slave"u8) || Ascii.EqualsIgnoreCase(name, "replica"u8))
        {
            return ClientType.Replica;
        }

        if (Ascii.EqualsIgnoreCase(name, "pubsub"u8))
        {
            return ClientType.PubSub;
        }

        return Ascii.EqualsIgnoreCase(name, "master"u8) ? ClientType.Master : null;
    }

    /// <summary>The type of a connected client.</summary>
    public static ClientType Of(Connections.RespSession client) => client.IsSubscribed ? ClientType.PubSub : ClientType.Normal;
}
