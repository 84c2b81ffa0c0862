namespace Platform.Client;

/// <summary>A message received on a subscription: the channel it was published to, the pattern that matched (pattern subscriptions), and its payload.</summary>
public readonly struct ChannelMessage
{
    /// <summary>Creates a message.</summary>
    public ChannelMessage(string channel, string? pattern, ReadOnlyMemory<byte> payload)
    {
        Channel = channel;
        Pattern = pattern;
        Payload = payload;
    }

    /// <summary>The channel the message was published to.</summary>
    public string Channel { get; }

    /// <summary>The pattern that matched, for a pattern subscription; null otherwise.</summary>
    public string? Pattern { get; }

    /// <summary>The payload: the caller's own copy, safe to keep.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The payload decoded as UTF-8.</summary>
    public string PayloadString => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>"channel: payload".</summary>
    public override string ToString() => $"{Channel}: {PayloadString}";
}
