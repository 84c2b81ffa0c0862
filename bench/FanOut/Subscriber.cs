using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.FanOut;

/// <summary>
/// One subscribing connection. All its messages have the same size, so once the first frame's
/// length is known, frames are counted by length and each one's timestamp (the payload's first
/// 8 bytes) is read at a fixed offset. What a read leaves of a frame is kept here, a few bytes,
/// so a reader thread can read many subscribers into one buffer.
/// </summary>
internal sealed class Subscriber(string host, int port, string command, string name)
{
    private byte[] _partial = new byte[256];
    private int _partialLength;
    private int _frameLength;
    private int _timestampOffset;

    public Socket Socket { get; private set; } = null!;

    /// <summary>Messages published at or after the start of the measurement.</summary>
    public long Messages { get; private set; }

    /// <summary>Reads (that returned data) during the measurement.</summary>
    public long Reads { get; private set; }

    /// <summary>The server closed the connection (an output buffer limit, or it failed).</summary>
    public bool Closed { get; set; }

    /// <summary>Connects and waits for the subscription's confirmation, blocking (no async context on the socket).</summary>
    public void Connect()
    {
        Socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Socket.Connect(host, port);
        Socket.Send(Encoding.ASCII.GetBytes($"*2\r\n${command.Length}\r\n{command}\r\n${name.Length}\r\n{name}\r\n"));
        var buffer = new byte[256];
        var length = 0;
        while (length == 0 || !EndsWithConfirmation(buffer, length))
        {
            var read = Socket.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The server closed a subscriber during its subscription.");
            }

            length += read;
        }
    }

    /// <summary>
    /// Takes what one read returned (<paramref name="data"/> starts with the kept partial frame,
    /// copied there by <see cref="CopyPartialTo"/>), counts the whole frames, records their
    /// latencies, and keeps the rest.
    /// </summary>
    public void Consume(Span<byte> data, long now, long measureFrom, LatencyHistogram latency)
    {
        var measuring = now >= measureFrom;
        if (measuring)
        {
            Reads++;
        }

        if (_frameLength == 0)
        {
            (_frameLength, _timestampOffset) = MeasureFrame(data);
            if (_frameLength == 0)
            {
                Keep(data);
                return;
            }

            if (_partial.Length < _frameLength)
            {
                _partial = new byte[_frameLength];
            }
        }

        var offset = 0;
        while (data.Length - offset >= _frameLength)
        {
            var sent = BinaryPrimitives.ReadInt64LittleEndian(data[(offset + _timestampOffset)..]);
            if (sent >= measureFrom)
            {
                Messages++;
                latency.Record((now - sent) * 1_000_000 / Stopwatch.Frequency);
            }

            offset += _frameLength;
        }

        Keep(data[offset..]);
    }

    /// <summary>Copies the kept partial frame to the start of <paramref name="buffer"/>; returns its length.</summary>
    public int CopyPartialTo(Span<byte> buffer)
    {
        _partial.AsSpan(0, _partialLength).CopyTo(buffer);
        return _partialLength;
    }

    /// <summary>The previous generator's reader: an async receive loop per subscriber on the thread pool.</summary>
    public async Task RunAsync(long measureFrom, LatencyHistogram latency, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var kept = CopyPartialTo(buffer);
                var read = await Socket.ReceiveAsync(buffer.AsMemory(kept), cancel);
                if (read == 0)
                {
                    Closed = true;
                    return;
                }

                lock (latency)
                {
                    Consume(buffer.AsSpan(0, kept + read), Stopwatch.GetTimestamp(), measureFrom, latency);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            Closed = true;
        }
    }

    public void Close() => Socket?.Dispose();

    private void Keep(ReadOnlySpan<byte> rest)
    {
        if (rest.Length > _partial.Length)
        {
            Array.Resize(ref _partial, Math.Max(rest.Length, _partial.Length * 2));
        }

        rest.CopyTo(_partial);
        _partialLength = rest.Length;
    }

    private static bool EndsWithConfirmation(byte[] buffer, int length) =>
        length >= 2 && buffer[length - 2] == '\r' && buffer[length - 1] == '\n' && (buffer[0] == '*' || buffer[0] == '>')
        && Encoding.ASCII.GetString(buffer, 0, length).Split("\r\n").Length >= 7;

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
