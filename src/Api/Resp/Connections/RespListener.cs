using System.Net;
using System.Net.Sockets;
using Platform.Api.Resp.Protocol;
using Platform.Api.Server;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// The RESP port: a listening socket on each <c>bind</c> address, and one <see cref="RespSession"/>
/// per accepted connection, refused with Redis's error beyond maxclients. Our own transport rather
/// than Kestrel's: a Kestrel connection holds a connection context, a feature collection, two
/// pipes and a socket receiver and sender, about 5 KB of heap per client, more than Redis's whole
/// client; here a connection is its socket and its session. Kestrel serves HTTP only. The port
/// opens once every other service has started (Kestrel's HTTP port too), so a client that reaches
/// it finds the whole server up.
/// </summary>
internal sealed partial class RespListener : IHostedLifecycleService
{
    // Redis's tcp-backlog.
    private const int Backlog = 511;

    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly ServerContext _server;
    private readonly ILogger _sessionLogger;
    private readonly ILogger _logger;

    // Every session's way of saying it has gone: one delegate for all.
    private readonly Action _left;

    // Running sessions, plus one for the listener itself until it stops: zero means all are gone.
    private int _running = 1;

    public RespListener(ServerContext server, ILogger<RespSession> sessionLogger, ILogger<RespListener> logger)
    {
        _server = server;
        _sessionLogger = sessionLogger;
        _logger = logger;
        _left = Left;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Binds every address before any connection is accepted: an address that cannot be bound stops the start.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var bind in _server.Config.Bind)
        {
            var endPoint = new IPEndPoint(ParseBindAddress(bind), _server.Config.Port);
            Socket? socket = null;
            try
            {
                socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (endPoint.Address.Equals(IPAddress.IPv6Any))
                {
                    // As Kestrel did: "::*" takes IPv4 clients too.
                    socket.DualMode = true;
                }

                socket.Bind(endPoint);
                socket.Listen(Backlog);
                _listeners.Add(socket);
            }
            catch (SocketException e) when (bind.StartsWith('-') && e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
            {
                // Redis's "-address": skipped when the machine does not have it.
                socket?.Dispose();
                Log.OptionalBindSkipped(_logger, endPoint.ToString(), e.SocketErrorCode);
            }
            catch (SocketException e)
            {
                socket?.Dispose();
                throw new IOException($"Failed to bind the RESP port to {endPoint}: {e.Message}", e);
            }
        }

        foreach (var socket in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(socket));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting and closes every client, as Redis does on shutdown, then waits until each
    /// session has left (its subscriptions removed) or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var socket in _listeners)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var session in _server.Clients.Snapshot())
        {
            session.Kill();
        }

        Left();
        await _allClosed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Redis's bind: an address, "*" for every IPv4 address, "::*" for every IPv6 one; a leading
    // '-' marks an address that is skipped when the machine does not have it.
    private static IPAddress ParseBindAddress(string bind)
    {
        var address = bind.TrimStart('-');
        return address switch
        {
            "*" => IPAddress.Any,
            "::*" => IPAddress.IPv6Any,
            _ => IPAddress.TryParse(address, out var ip)
                ? ip
                : throw new InvalidOperationException($"Bad value for 'bind': '{bind}' is not an IP address."),
        };
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                // The listener was closed: the server is stopping.
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, or a connection reset before it was accepted: the port stays open.
                Log.AcceptFailed(_logger, e, e.SocketErrorCode);
                continue;
            }

            Accepted(socket);
        }
    }

    private void Accepted(Socket socket)
    {
        socket.NoDelay = true;

        // Reads and writes are tried without waiting first; only a read finding nothing, or a
        // write finding the socket full, goes asynchronous.
        socket.Blocking = false;
        if (_server.Clients.Count >= _server.Config.MaxClients)
        {
            Refuse(socket);
            return;
        }

        _server.Stats.ConnectionReceived();
        var session = new RespSession(socket, _server, _sessionLogger, _left);
        _server.Clients.Add(session);
        Interlocked.Increment(ref _running);
        _ = session.RunAsync();
    }

    private void Left()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _allClosed.TrySetResult();
        }
    }

    private void Refuse(Socket socket)
    {
        _server.Stats.ConnectionRejected();
        Span<byte> reply = stackalloc byte[Errors.MaxClientsReached.Length + 3];
        reply[0] = (byte)'-';
        Errors.MaxClientsReached.CopyTo(reply[1..]);
        "\r\n"u8.CopyTo(reply[^2..]);

        // A new socket has room for a short line; one that does not take it all loses the rest, as in Redis.
        socket.Send(reply, SocketFlags.None, out _);
        Log.MaxClients(_logger, socket.RemoteEndPoint?.ToString());
        socket.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a connection from {Address}: max number of clients reached")]
        public static partial void MaxClients(ILogger logger, string? address);

        [LoggerMessage(2, LogLevel.Warning, "Accepting a RESP connection failed ({Error})")]
        public static partial void AcceptFailed(ILogger logger, Exception exception, SocketError error);

        [LoggerMessage(3, LogLevel.Information, "Not listening on {EndPoint}: {Error}")]
        public static partial void OptionalBindSkipped(ILogger logger, string endPoint, SocketError error);
    }
}
