using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace Platform.Http.Tests.Infrastructure;

/// <summary>A client of /ws: JSON commands out, JSON messages in, one per WebSocket message.</summary>
internal sealed class WebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private WebSocketClient()
    {
    }

    /// <summary>The socket, for close status checks.</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>
    /// Connects to /ws. With <paramref name="receiveBufferSize"/>, the socket's receive buffer is
    /// that small (a client that does not read then stalls the server's sends at once).
    /// </summary>
    public static async Task<WebSocketClient> ConnectAsync(PlatformServer server, int? receiveBufferSize = null)
    {
        var client = new WebSocketClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var uri = new Uri(FormattableString.Invariant($"ws://127.0.0.1:{server.HttpPort}/ws"));
        if (receiveBufferSize is not { } size)
        {
            await client._socket.ConnectAsync(uri, cancel.Token).ConfigureAwait(false);
            return client;
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = size, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        await client._socket.ConnectAsync(uri, invoker, cancel.Token).ConfigureAwait(false);
        return client;
    }

    /// <summary>Sends an object as JSON text.</summary>
    public Task SendAsync(object command) => SendTextAsync(JsonSerializer.Serialize(command));

    /// <summary>Sends text as one message.</summary>
    public async Task SendTextAsync(string text, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), type, endOfMessage: true, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>The next message as JSON; <see cref="TimeoutException"/> if none comes in time.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        var (type, data) = await ReceiveRawAsync(timeout).ConfigureAwait(false);
        Assert.Equal(WebSocketMessageType.Text, type);
        return JsonDocument.Parse(data).RootElement;
    }

    /// <summary>The next message as it came (a Close message has its type and no data).</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveRawAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cancel.Token).ConfigureAwait(false);
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
                {
                    return (result.MessageType, message.ToArray());
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No WebSocket message arrived in time.");
        }
    }

    /// <summary>Whether nothing arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> IsQuietAsync(TimeSpan wait)
    {
        try
        {
            await ReceiveRawAsync(wait).ConfigureAwait(false);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
