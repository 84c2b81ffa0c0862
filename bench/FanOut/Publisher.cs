using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.FanOut;

/// <summary>
/// Publishes as fast as the server accepts: batches of <c>pipeline</c> PUBLISH commands, then
/// their replies. Each payload starts with the send time (Stopwatch ticks).
/// </summary>
internal sealed class Publisher(string host, int port, string channel, int size, int pipeline)
{
    public long Published { get; private set; }

    public async Task RunAsync(CancellationToken cancel)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port);
        var header = Encoding.ASCII.GetBytes($"*3\r\n$7\r\nPUBLISH\r\n${channel.Length}\r\n{channel}\r\n${size}\r\n");
        var command = header.Length + size + 2;
        var batch = new byte[command * pipeline];
        for (var i = 0; i < pipeline; i++)
        {
            header.CopyTo(batch, i * command);
            batch.AsSpan((i * command) + header.Length + 8, size - 8).Fill((byte)'x');
            batch[(i * command) + header.Length + size] = (byte)'\r';
            batch[(i * command) + header.Length + size + 1] = (byte)'\n';
        }

        var replies = new byte[64 * 1024];
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < pipeline; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(batch.AsSpan((i * command) + header.Length), now);
                }

                await socket.SendAsync(batch, cancel);
                var lines = 0;
                while (lines < pipeline)
                {
                    var read = await socket.ReceiveAsync(replies, cancel);
                    if (read == 0)
                    {
                        return;
                    }

                    lines += replies.AsSpan(0, read).Count((byte)'\n');
                }

                Published += pipeline;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
