using System.Net;
using System.Net.Sockets;

namespace Platform.EndToEnd.Tests.Infrastructure;

/// <summary>The server closed the connection before a complete reply arrived.</summary>
internal sealed class RespConnectionClosedException(string message) : IOException(message);

/// <summary>
/// A raw RESP client over a real socket: sends exact bytes, reads exactly one complete reply
/// frame at a time (RESP2 or RESP3), or everything until the server closes the connection.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    /// <summary>How long a read waits unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _closed;

    private RespConnection(Socket socket) => _socket = socket;

    /// <summary>Whether the server has closed its side (a read returned 0 or the connection was reset).</summary>
    public bool ClosedByServer => _closed;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<RespConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RespConnection(socket);
    }

    /// <summary>Sends the bytes in one write.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Sends the characters of <paramref name="text"/> as bytes (Latin-1: "\xff" is byte 255).</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends a command as a multibulk request, as client libraries do.</summary>
    public Task SendCommandAsync(params string[] args) => SendAsync(Resp.Command(args));

    /// <summary>Sends a command and reads its reply.</summary>
    public async Task<byte[]> CallAsync(params string[] args)
    {
        await SendCommandAsync(args).ConfigureAwait(false);
        return await ReadReplyAsync().ConfigureAwait(false);
    }

    /// <summary>Reads exactly one complete reply frame.</summary>
    public async Task<byte[]> ReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var length = RespFrame.Measure(_buffer.AsSpan(_start, _end - _start));
            if (length >= 0)
            {
                var frame = _buffer.AsSpan(_start, length).ToArray();
                _start += length;
                return frame;
            }

            if (_closed)
            {
                throw new RespConnectionClosedException(
                    $"Connection closed before a complete reply; received \"{RespFrame.Escape(_buffer.AsSpan(_start, _end - _start))}\".");
            }

            await ReceiveAsync(cancel.Token, "a reply").ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="count"/> replies.</summary>
    public async Task<List<byte[]>> ReadRepliesAsync(int count, TimeSpan? timeout = null)
    {
        var replies = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            replies.Add(await ReadReplyAsync(timeout).ConfigureAwait(false));
        }

        return replies;
    }

    /// <summary>
    /// Reads everything until the server closes the connection. Returns what arrived and whether
    /// the connection was closed within <paramref name="timeout"/>.
    /// </summary>
    public async Task<(byte[] Data, bool Closed)> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (!_closed)
            {
                await ReceiveAsync(cancel.Token, "the close").ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
        }

        var data = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return (data, _closed);
    }

    /// <summary>Whatever has arrived within <paramref name="wait"/> (none of it is required to be a whole frame).</summary>
    public async Task<byte[]> ReadAvailableAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            while (!_closed)
            {
                await ReceiveAsync(cancel.Token, "more").ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
        }

        var data = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return data;
    }

    /// <summary>Asks INFO clients until the server counts <paramref name="count"/> blocked clients (10 s at most).</summary>
    /// <exception cref="TimeoutException">The count never came.</exception>
    public async Task WaitForBlockedClientsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Encoding.Latin1.GetString(await CallAsync("INFO", "clients")).Contains($"blocked_clients:{count}\r\n", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"blocked_clients never reached {count}");
            }

            await Task.Delay(5);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReceiveAsync(CancellationToken cancel, string what)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_end == _buffer.Length)
        {
            var live = _end - _start;
            var target = live * 2 > _buffer.Length ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, live);
            _buffer = target;
            _start = 0;
            _end = live;
        }

        try
        {
            var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel).ConfigureAwait(false);
            if (received == 0)
            {
                _closed = true;
            }

            _end += received;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(
                $"Timed out waiting for {what}; received so far \"{RespFrame.Escape(_buffer.AsSpan(_start, _end - _start))}\".");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            _closed = true;
        }
    }
}

/// <summary>Building requests.</summary>
internal static class Resp
{
    /// <summary>A multibulk request of the arguments (as Latin-1 bytes).</summary>
    public static byte[] Command(params string[] args) => Encoding.Latin1.GetBytes(CommandText(args));

    /// <summary>A multibulk request of the arguments, as text (one char per byte).</summary>
    public static string CommandText(params string[] args)
    {
        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"${Encoding.Latin1.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        return text.ToString();
    }
}
