using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Api.Http.Channels;
using Platform.Api.Http.Json;
using Platform.Api.Http.Problems;
using Platform.Api.Server;
using Platform.Grains.PubSub;

namespace Platform.Api.Http.Subscribers;

/// <summary>
/// One WebSocket client of /ws: subscribes, unsubscribes, pattern-subscribes and publishes on one
/// socket with JSON messages (<see cref="WebSocketCommand"/>), receives confirmations
/// (<see cref="WebSocketReply"/>) and messages. A receive loop runs the commands in order; a
/// writer loop sends the outbox, one WebSocket message per JSON object; the outbox is bounded like
/// a RESP subscriber's. Bad input gets an error message and the socket stays open.
/// </summary>
internal sealed partial class WebSocketSession
{
    private readonly WebSocket _socket;
    private readonly ServerContext _server;
    private readonly HttpApiOptions _options;
    private readonly JsonSerializerOptions _json;
    private readonly HttpSubscriber _subscriber;

    private WebSocketSession(WebSocket socket, ServerContext server, HttpApiOptions options, JsonSerializerOptions json, SubscriberOutbox outbox)
    {
        _socket = socket;
        _server = server;
        _options = options;
        _json = json;
        _subscriber = new HttpSubscriber(server, outbox, DeliveryEncoding.WebSocketJson, MessageFrames.WebSocket);
    }

    private SubscriberOutbox Outbox => _subscriber.Outbox;

    /// <summary>Accepts the WebSocket and runs it until either side closes it.</summary>
    public static async Task<IResult> RunAsync(
        HttpContext context,
        ServerContext server,
        IOptions<HttpApiOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILogger<WebSocketSession> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR /ws takes WebSocket requests only (Upgrade: websocket)");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var aborter = new ConnectionAborter(socket.Abort);
        var address = context.Connection.RemoteIpAddress + ":" + context.Connection.RemotePort;
        var outbox = new SubscriberOutbox(new OutputLimitCheck(server.Config.OutputBufferLimits), pending =>
        {
            server.Stats.OutputBufferLimitDisconnection();
            Log.OutputBufferLimit(logger, address, pending);
            aborter.AbortSoon();
        });
        var session = new WebSocketSession(socket, server, options.Value, json.Value.SerializerOptions, outbox);
        await session.RunAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private async Task RunAsync(CancellationToken aborted)
    {
        var writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        try
        {
            await ReceiveLoopAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away, or was disconnected for its output buffer.
        }
        finally
        {
            Outbox.Close();
            await _subscriber.UnsubscribeAllAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), aborted).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Outbox.Close();
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
                return;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _options.MaxBodyBytes)
            {
                Outbox.Close();
                await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {_options.MaxBodyBytes} bytes").ConfigureAwait(false);
                return;
            }

            if (result.EndOfMessage)
            {
                await RunCommandAsync(buffer.WrittenMemory).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task RunCommandAsync(ReadOnlyMemory<byte> message)
    {
        WebSocketCommand? command;
        try
        {
            command = JsonSerializer.Deserialize<WebSocketCommand>(message.Span, _json);
        }
        catch (JsonException e)
        {
            SendError(ProblemKind.InvalidJson, "ERR " + e.Message);
            return;
        }

        if (command is null)
        {
            SendError(ProblemKind.InvalidJson, "ERR a command is a JSON object with an 'op'");
            return;
        }

        // The serializer lets null through inside a list; a name is text.
        if (command.Channels?.Contains(null!) == true || command.Patterns?.Contains(null!) == true)
        {
            SendError(ProblemKind.InvalidJson, "ERR channel and pattern names are strings, never null");
            return;
        }

        switch (command.Op.ToLowerInvariant())
        {
            case "subscribe":
                await SubscribeAsync(SubscriptionKind.Channel, command.Channels, "subscribe", "channels").ConfigureAwait(false);
                break;
            case "psubscribe":
                await SubscribeAsync(SubscriptionKind.Pattern, command.Patterns, "psubscribe", "patterns").ConfigureAwait(false);
                break;
            case "unsubscribe":
                await UnsubscribeAsync(SubscriptionKind.Channel, command.Channels, "unsubscribe").ConfigureAwait(false);
                break;
            case "punsubscribe":
                await UnsubscribeAsync(SubscriptionKind.Pattern, command.Patterns, "punsubscribe").ConfigureAwait(false);
                break;
            case "publish":
                await PublishAsync(command).ConfigureAwait(false);
                break;
            case "ping":
                Send(new WebSocketReply("pong"));
                break;
            default:
                SendError(ProblemKind.BadRequest, $"ERR unknown op '{command.Op}': subscribe, psubscribe, unsubscribe, punsubscribe, publish or ping");
                break;
        }
    }

    private async Task SubscribeAsync(SubscriptionKind kind, IReadOnlyList<string>? names, string type, string member)
    {
        if (names is not { Count: > 0 })
        {
            SendError(ProblemKind.BadRequest, $"ERR '{type}' needs a non-empty '{member}' list");
            return;
        }

        // Confirmations go out once the subscriptions are in effect, before any of their messages.
        Outbox.Hold();
        try
        {
            foreach (var name in names)
            {
                await _subscriber.SubscribeAsync(kind, name, count => Send(Confirmation(type, kind, name, count))).ConfigureAwait(false);
            }
        }
        finally
        {
            Outbox.Release();
        }
    }

    private async Task UnsubscribeAsync(SubscriptionKind kind, IReadOnlyList<string>? names, string type)
    {
        if (names is not { Count: > 0 })
        {
            names = _subscriber.Joined(kind);
            if (names.Count == 0)
            {
                Send(new WebSocketReply(type, Count: _subscriber.Count));
                return;
            }
        }

        foreach (var name in names)
        {
            await _subscriber.UnsubscribeAsync(kind, name, count => Send(Confirmation(type, kind, name, count))).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(WebSocketCommand command)
    {
        if (command.Channel is null)
        {
            SendError(ProblemKind.BadRequest, "ERR 'publish' needs a 'channel'");
            return;
        }

        if (!ByteText.TryRead(command.Data, command.DataBase64, "data", out var payload, out var error))
        {
            SendError(ProblemKind.BadRequest, error);
            return;
        }

        var receivers = await _server.Publisher.PublishAsync(Encoding.UTF8.GetBytes(command.Channel), payload).ConfigureAwait(false);
        Send(new WebSocketReply("published", Channel: command.Channel, Receivers: receivers));
    }

    private static WebSocketReply Confirmation(string type, SubscriptionKind kind, string name, int count) => kind == SubscriptionKind.Pattern
        ? new WebSocketReply(type, Pattern: name, Count: count)
        : new WebSocketReply(type, Channel: name, Count: count);

    private void SendError(ProblemKind kind, string detail) => Send(new WebSocketError("error", Problem.Details(kind, detail)));

    // Replies queue behind the messages already in the outbox; the newline ends each one there.
    private void Send<T>(T reply) => Outbox.Append([.. JsonSerializer.SerializeToUtf8Bytes(reply, _json), (byte)'\n']);

    // Sends the outbox: each JSON object (ended by a newline, which JSON text never holds raw) is one message.
    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                var chunk = await Outbox.TakeAsync().ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    return;
                }

                try
                {
                    var rest = chunk.Memory;
                    while (!rest.IsEmpty)
                    {
                        var end = rest.Span.IndexOf((byte)'\n');
                        await _socket.SendAsync(rest[..end], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                        rest = rest[(end + 1)..];
                    }
                }
                finally
                {
                    Outbox.Sent(chunk);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket is gone; the receive loop sees it too.
            Outbox.Close();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "WebSocket subscriber {Address} closed for overcoming of output buffer limits ({Bytes} bytes pending)")]
        public static partial void OutputBufferLimit(ILogger logger, string address, long bytes);
    }
}
