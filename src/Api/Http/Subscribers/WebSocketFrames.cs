using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Http.Subscribers;

/// <summary>
/// A client's message on the WebSocket (/ws), JSON in a text (or binary) frame:
/// <c>{"op":"subscribe","channels":[...]}</c>, <c>{"op":"psubscribe","patterns":[...]}</c>,
/// <c>{"op":"unsubscribe","channels":[...]}</c> and <c>{"op":"punsubscribe","patterns":[...]}</c>
/// (no names: all), <c>{"op":"publish","channel":"c","data":"text"}</c> (or <c>"dataBase64"</c>),
/// <c>{"op":"ping"}</c>.
/// </summary>
/// <param name="Op">subscribe, psubscribe, unsubscribe, punsubscribe, publish or ping.</param>
/// <param name="Channels">The channels of subscribe and unsubscribe.</param>
/// <param name="Patterns">The patterns of psubscribe and punsubscribe.</param>
/// <param name="Channel">The channel of publish.</param>
/// <param name="Data">The payload of publish, UTF-8 text.</param>
/// <param name="DataBase64">Or the payload's bytes, base64.</param>
internal sealed record WebSocketCommand(
    string Op,
    IReadOnlyList<string>? Channels = null,
    IReadOnlyList<string>? Patterns = null,
    string? Channel = null,
    string? Data = null,
    string? DataBase64 = null);

/// <summary>
/// The server's answer to a command on /ws, in the order of the commands: one confirmation per
/// channel or pattern (with the client's subscription count after it, as Redis confirms), the
/// receiver count of a publish, pong. Messages arrive as <c>ChannelMessage</c>.
/// </summary>
/// <param name="Type">subscribe, psubscribe, unsubscribe, punsubscribe, published or pong.</param>
/// <param name="Channel">The channel confirmed or published to.</param>
/// <param name="Pattern">The pattern confirmed.</param>
/// <param name="Count">The client's subscriptions (channels and patterns) after the change.</param>
/// <param name="Receivers">The subscribers a publish reached.</param>
internal sealed record WebSocketReply(string Type, string? Channel = null, string? Pattern = null, int? Count = null, int? Receivers = null);

/// <summary>A command on /ws that failed: the connection stays open.</summary>
/// <param name="Type">"error".</param>
/// <param name="Problem">What went wrong, as problem details.</param>
internal sealed record WebSocketError(string Type, ProblemDetails Problem);
