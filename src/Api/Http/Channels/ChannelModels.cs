namespace Platform.Api.Http.Channels;

/// <summary>A message to publish, as JSON: the payload as text or as base64.</summary>
/// <param name="Data">The payload, UTF-8 text.</param>
/// <param name="DataBase64">Or the payload's bytes, base64.</param>
internal sealed record PublishRequest(string? Data = null, string? DataBase64 = null);

/// <summary>PUBLISH's reply.</summary>
/// <param name="Receivers">Subscribers that received the message (channel and pattern subscribers, over RESP, SSE and WebSocket).</param>
internal sealed record PublishResponse(int Receivers);

/// <summary>A channel with subscribers (PUBSUB CHANNELS and NUMSUB).</summary>
/// <param name="Name">The channel, UTF-8 when it is, else null.</param>
/// <param name="NameBase64">The channel's bytes when they are not UTF-8.</param>
/// <param name="Subscribers">Its subscribers (patterns not counted).</param>
internal sealed record ChannelInfo(string? Name, string? NameBase64, int Subscribers);

/// <summary>The channels with subscribers, and the number of subscribed patterns (PUBSUB NUMPAT).</summary>
/// <param name="Channels">Channels with at least one subscriber, in name order.</param>
/// <param name="Patterns">Distinct patterns subscribed.</param>
internal sealed record ChannelList(IReadOnlyList<ChannelInfo> Channels, int Patterns);

/// <summary>
/// A message as SSE subscribers (the data of events <c>message</c> and <c>pmessage</c>) and
/// WebSocket clients receive it. Each of pattern, channel and data is given as text when its bytes
/// are UTF-8, else in the *Base64 member.
/// </summary>
/// <param name="Type">"message", or "pmessage" for a pattern subscription's match.</param>
/// <param name="Pattern">The pattern that matched (pmessage).</param>
/// <param name="PatternBase64">The pattern, base64, when it is not UTF-8.</param>
/// <param name="Channel">The channel published to.</param>
/// <param name="ChannelBase64">The channel, base64, when it is not UTF-8.</param>
/// <param name="Data">The payload.</param>
/// <param name="DataBase64">The payload, base64, when it is not UTF-8.</param>
internal sealed record ChannelMessage(
    string Type,
    string? Pattern,
    string? PatternBase64,
    string? Channel,
    string? ChannelBase64,
    string? Data,
    string? DataBase64);

/// <summary>The first event of an SSE subscription: what is now subscribed.</summary>
/// <param name="Channels">The channels.</param>
/// <param name="Patterns">The patterns.</param>
internal sealed record SubscribedEvent(IReadOnlyList<string> Channels, IReadOnlyList<string> Patterns);
