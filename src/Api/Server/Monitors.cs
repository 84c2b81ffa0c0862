using System.Globalization;
using Platform.Api.Resp.Connections;

namespace Platform.Api.Server;

/// <summary>
/// MONITOR's clients. Every command asks whether anyone watches, so that is one read of an array
/// that changes only when a client starts or stops monitoring. Lines are sent under a lock, so
/// that every monitor sees the same order, with times that never go back, as from Redis's one
/// thread; and a client that stopped monitoring gets no line after its RESET's reply.
/// </summary>
internal sealed class Monitors(TimeProvider time)
{
    private readonly Lock _lock = new();
    private RespSession[] _clients = [];

    /// <summary>Whether any client monitors.</summary>
    public bool Any => Volatile.Read(ref _clients).Length > 0;

    /// <summary>Adds a client.</summary>
    public void Add(RespSession client)
    {
        lock (_lock)
        {
            _clients = [.. _clients, client];
        }
    }

    /// <summary>Removes a client (RESET, or the connection closing); nothing if it does not monitor.</summary>
    public void Remove(RespSession client)
    {
        lock (_lock)
        {
            if (_clients.Contains(client))
            {
                _clients = [.. _clients.Where(c => c != client)];
            }
        }
    }

    /// <summary>
    /// Sends every monitoring client a line: "+", the time in seconds with microseconds, then
    /// <paramref name="rest"/> (a space, the client and the command, and the line's end).
    /// </summary>
    public void Send(ReadOnlySpan<byte> rest)
    {
        lock (_lock)
        {
            var micros = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
            var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"+{micros / 1_000_000}.{micros % 1_000_000:D6}"));
            byte[] line = [.. head, .. rest];
            foreach (var client in _clients)
            {
                client.ShowMonitored(line);
            }
        }
    }
}
