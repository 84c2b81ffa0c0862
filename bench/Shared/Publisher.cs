using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench;

/// <summary>Writes a message's send time (Stopwatch ticks) into the start of its payload, in the generator's own format.</summary>
internal delegate void PayloadStamp(Span<byte> payload, long timestamp);

/// <summary>
/// Publishes as fast as the server accepts, on a dedicated thread with blocking sends and
/// receives: batches of <c>pipeline</c> PUBLISH commands over RESP, each payload stamped with its
/// send time, then their replies.
/// </summary>
internal sealed class Publisher(string host, int port, string channel, int size, int pipeline, PayloadStamp stamp)
{
    private volatile bool _stop;
    private Thread? _thread;
    private long _published;

    public long Published => Interlocked.Read(ref _published);

    /// <summary>The last PUBLISH reply: the subscribers it reached.</summary>
    public long LastReceivers { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "publisher" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
    }

    private void Run()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(host, port);
        var header = Encoding.ASCII.GetBytes($"*3\r\n$7\r\nPUBLISH\r\n${channel.Length}\r\n{channel}\r\n${size}\r\n");
        var command = header.Length + size + 2;
        var batch = new byte[command * pipeline];
        for (var i = 0; i < pipeline; i++)
        {
            header.CopyTo(batch, i * command);
            batch.AsSpan((i * command) + header.Length, size).Fill((byte)'x');
            batch[(i * command) + header.Length + size] = (byte)'\r';
            batch[(i * command) + header.Length + size + 1] = (byte)'\n';
        }

        var replies = new byte[64 * 1024];
        try
        {
            while (!_stop)
            {
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < pipeline; i++)
                {
                    stamp(batch.AsSpan((i * command) + header.Length), now);
                }

                socket.Send(batch);
                var lines = 0;
                var length = 0;
                while (lines < pipeline)
                {
                    var read = socket.Receive(replies, length, replies.Length - length, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    lines += replies.AsSpan(length, read).Count((byte)'\n');
                    length += read;
                }

                // The last reply: ":<receivers>\r\n".
                var last = replies.AsSpan(0, length - 2).LastIndexOf((byte)':');
                LastReceivers = long.Parse(Encoding.ASCII.GetString(replies, last + 1, length - last - 3), CultureInfo.InvariantCulture);
                Interlocked.Add(ref _published, pipeline);
            }
        }
        catch (SocketException)
        {
        }
    }
}
