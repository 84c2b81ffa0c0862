using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.FanOut;

/// <summary>
/// One subscribing connection: subscribes, then reads as fast as it can. All its messages have
/// the same size, so once the first frame's length is known, frames are counted by length and
/// each one's timestamp (the payload's first 8 bytes) is read at a fixed offset.
/// </summary>
internal sealed class Subscriber(string host, int port, string command, string name)
{
    private readonly byte[] _buffer = new byte[256 * 1024];
    private Socket? _socket;

    public long Messages { get; private set; }

    public long Reads { get; private set; }

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Connects and waits for the subscription's confirmation.</summary>
    public async Task ConnectAsync()
    {
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _socket.ConnectAsync(host, port);
        await _socket.SendAsync(Encoding.ASCII.GetBytes($"*2\r\n${command.Length}\r\n{command}\r\n${name.Length}\r\n{name}\r\n"));
        var confirmation = 0;
        while (confirmation == 0 || !EndsWithConfirmation(confirmation))
        {
            confirmation += await _socket.ReceiveAsync(_buffer.AsMemory(confirmation));
        }
    }

    /// <summary>Reads until cancelled; counts only messages published at or after <paramref name="measureFrom"/>.</summary>
    public async Task RunAsync(long measureFrom, CancellationToken cancel)
    {
        var socket = _socket!;
        var frameLength = 0;
        var timestampOffset = 0;
        var filled = 0;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var read = await socket.ReceiveAsync(_buffer.AsMemory(filled), cancel);
                if (read == 0)
                {
                    return;
                }

                Reads++;
                filled += read;
                if (frameLength == 0)
                {
                    (frameLength, timestampOffset) = MeasureFrame(_buffer.AsSpan(0, filled));
                    if (frameLength == 0)
                    {
                        continue;
                    }
                }

                var now = Stopwatch.GetTimestamp();
                var offset = 0;
                while (filled - offset >= frameLength)
                {
                    var sent = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(offset + timestampOffset));
                    if (sent >= measureFrom)
                    {
                        Messages++;
                        Latency.Record((now - sent) * 1_000_000 / Stopwatch.Frequency);
                    }

                    offset += frameLength;
                }

                _buffer.AsSpan(offset, filled - offset).CopyTo(_buffer);
                filled -= offset;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public void Close() => _socket?.Dispose();

    private bool EndsWithConfirmation(int length) =>
        length >= 2 && _buffer[length - 2] == '\r' && _buffer[length - 1] == '\n' && _buffer[0] == '*'
        && Encoding.ASCII.GetString(_buffer, 0, length).Split("\r\n").Length >= 7;

    // Walks one RESP array of bulk strings: its total length, and where its last bulk's data starts.
    private static (int Length, int PayloadOffset) MeasureFrame(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return (0, 0);
        }

        var count = int.Parse(Encoding.ASCII.GetString(data[1..end]));
        var position = end + 2;
        var payload = 0;
        for (var i = 0; i < count; i++)
        {
            var lineEnd = data[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return (0, 0);
            }

            var length = int.Parse(Encoding.ASCII.GetString(data.Slice(position + 1, lineEnd - 1)));
            payload = position + lineEnd + 2;
            position = payload + length + 2;
            if (position > data.Length)
            {
                return (0, 0);
            }
        }

        return (position, payload);
    }
}
