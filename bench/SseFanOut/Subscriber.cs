using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.SseFanOut;

/// <summary>
/// One subscribing connection, read by an async receive loop. Whatever the protocol's framing,
/// each message is found by the marker its payload starts with, and its latency recorded.
/// </summary>
internal abstract class Subscriber(string host, int port, long measureFrom, LatencyHistogram latency)
{
    // A marker and its timestamp may be split between two reads: this much is carried over.
    private const int Carry = Payload.MinimumSize - 1;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _kept;

    protected Socket Socket { get; } = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    /// <summary>The server's address.</summary>
    protected string Host => host;

    /// <summary>Messages sent at or after the start of the measurement.</summary>
    public long Messages;

    /// <summary>The server closed the connection (an output buffer limit, or it failed).</summary>
    public bool Closed { get; private set; }

    /// <summary>Connects and subscribes, blocking until the subscription is confirmed.</summary>
    public void Connect()
    {
        Socket.Connect(host, port);
        Socket.Send(SubscribeRequest());
        var seen = new StringBuilder();
        var chunk = new byte[4096];
        while (!IsConfirmed(seen.ToString()))
        {
            var read = Socket.Receive(chunk);
            if (read == 0)
            {
                throw new IOException($"The server closed a subscriber during its subscription: {seen}");
            }

            seen.Append(Encoding.ASCII.GetString(chunk, 0, read));
        }
    }

    /// <summary>Reads until stopped or closed.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var read = await Socket.ReceiveAsync(_buffer.AsMemory(_kept), SocketFlags.None, stop).ConfigureAwait(false);
                if (read == 0)
                {
                    Closed = true;
                    return;
                }

                Consume(_buffer.AsSpan(0, _kept + read), Stopwatch.GetTimestamp());
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Closed |= !stop.IsCancellationRequested;
        }
    }

    public void Close() => Socket.Dispose();

    /// <summary>The bytes that subscribe.</summary>
    protected abstract byte[] SubscribeRequest();

    /// <summary>Whether what arrived so far confirms the subscription.</summary>
    protected abstract bool IsConfirmed(string received);

    private void Consume(Span<byte> data, long now)
    {
        var offset = 0;
        while (true)
        {
            var found = data[offset..].IndexOf(Payload.Marker);
            if (found < 0)
            {
                // A marker may start in the last bytes.
                offset = Math.Max(offset, data.Length - 2);
                break;
            }

            var start = offset + found;
            if (data.Length - start < Payload.MinimumSize)
            {
                offset = start;
                break;
            }

            var sent = Payload.ReadStamp(data[(start + 3)..]);
            if (sent >= measureFrom)
            {
                Messages++;
                latency.Record((now - sent) * 1_000_000 / Stopwatch.Frequency);
            }

            offset = start + Payload.MinimumSize;
        }

        _kept = Math.Min(Carry, data.Length - offset);
        data.Slice(data.Length - _kept, _kept).CopyTo(_buffer);
    }
}

/// <summary>A subscriber over server-sent events: GET /channels/subscribe, confirmed by its 'subscribed' event.</summary>
internal sealed class SseSubscriber(string host, int port, string channel, long measureFrom, LatencyHistogram latency)
    : Subscriber(host, port, measureFrom, latency)
{
    protected override byte[] SubscribeRequest() => Encoding.ASCII.GetBytes(
        $"GET /channels/subscribe?channel={Uri.EscapeDataString(channel)} HTTP/1.1\r\nHost: {Host}\r\nAccept: text/event-stream\r\n\r\n");

    protected override bool IsConfirmed(string received) =>
        received.Contains("event: subscribed", StringComparison.Ordinal) && received.EndsWith("\n\n\r\n", StringComparison.Ordinal);
}

/// <summary>A subscriber over RESP: SUBSCRIBE, confirmed by its reply.</summary>
internal sealed class RespSubscriber(string host, int port, string channel, long measureFrom, LatencyHistogram latency)
    : Subscriber(host, port, measureFrom, latency)
{
    protected override byte[] SubscribeRequest() => Encoding.ASCII.GetBytes($"*2\r\n$9\r\nSUBSCRIBE\r\n${channel.Length}\r\n{channel}\r\n");

    protected override bool IsConfirmed(string received) => received.EndsWith(":1\r\n", StringComparison.Ordinal);
}
