using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// A TCP proxy in front of PostgreSQL that, once told, lets the next transaction commit and then
/// breaks the connection instead of passing on its reply: the client cannot tell whether its
/// commit was made. It reads the server's messages (a type byte, then a big-endian length that
/// counts itself) and cuts at the next ReadyForQuery, which PostgreSQL sends after the commit.
/// It also counts the statements clients send to be parsed (Parse messages).
/// </summary>
internal sealed class ReplyCuttingProxy : IAsyncDisposable
{
    private const byte ReadyForQuery = (byte)'Z';
    private const byte Parse = (byte)'P';

    // A client's first messages have no type byte: requests for encryption, answered one at a time,
    // then the startup message.
    private const int SslRequest = 80877103;
    private const int GssEncryptionRequest = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private int _armed;
    private int _cuts;
    private int _parses;

    private ReplyCuttingProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were cut.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>How many statements clients sent to be parsed: a prepared statement is parsed once per connection.</summary>
    public int Parses => Volatile.Read(ref _parses);

    /// <summary>Starts a proxy to PostgreSQL on <paramref name="serverPort"/> of 127.0.0.1.</summary>
    public static ReplyCuttingProxy Start(int serverPort) => new(serverPort);

    /// <summary>
    /// Cuts the connection whose reply comes next, at its ReadyForQuery, passing on nothing of that
    /// reply. Call it while no reply is on its way.
    /// </summary>
    public void CutAtNextReply() => Volatile.Write(ref _armed, 1);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
            }

            _ = PumpAsync(client, server, watch: false, new ClientMessages(this));
            _ = PumpAsync(server, client, watch: true, counter: null);
        }
    }

    // Copies one direction until either side closes; the server's side is read message by message
    // while a cut is due, and the client's is counted as it goes.
    private async Task PumpAsync(Socket from, Socket to, bool watch, ClientMessages? counter)
    {
        var buffer = new byte[64 * 1024];
        var held = new List<byte>();
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                counter?.Read(buffer.AsSpan(0, read));
                if (!watch || Volatile.Read(ref _armed) == 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                    continue;
                }

                held.AddRange(buffer.AsSpan(0, read));
                if (HoldsReadyForQuery(held))
                {
                    Volatile.Write(ref _armed, 0);
                    Interlocked.Increment(ref _cuts);
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away.
        }

        from.Dispose();
        to.Dispose();
    }

    private static bool HoldsReadyForQuery(List<byte> messages)
    {
        var bytes = messages.ToArray().AsSpan();
        while (bytes.Length >= 5)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
            if (bytes[0] == ReadyForQuery)
            {
                return true;
            }

            if (bytes.Length < 1 + length)
            {
                return false;
            }

            bytes = bytes[(1 + length)..];
        }

        return false;
    }

    // Follows a client's messages across reads: the untyped ones it starts with, then the typed ones.
    private sealed class ClientMessages(ReplyCuttingProxy proxy)
    {
        private readonly List<byte> _unread = [];
        private bool _started;

        public void Read(ReadOnlySpan<byte> received)
        {
            _unread.AddRange(received);
            var bytes = _unread.ToArray().AsSpan();
            var used = 0;
            while (true)
            {
                var typed = _started ? 1 : 0;
                if (bytes.Length - used < typed + 4)
                {
                    break;
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(bytes[(used + typed)..]);
                if (bytes.Length - used < typed + length)
                {
                    break;
                }

                if (!_started)
                {
                    var code = BinaryPrimitives.ReadInt32BigEndian(bytes[(used + 4)..]);
                    _started = code is not (SslRequest or GssEncryptionRequest);
                }
                else if (bytes[used] == Parse)
                {
                    Interlocked.Increment(ref proxy._parses);
                }

                used += typed + length;
            }

            _unread.RemoveRange(0, used);
        }
    }
}
