using Platform.Api.Resp.Connections;

namespace Platform.Api.Server;

/// <summary>
/// MONITOR's clients, and what each command shown to them is sent as. Every command asks whether
/// anyone watches, so that is one read of an array that changes only when a client starts or
/// stops monitoring.
/// </summary>
internal sealed class Monitors
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
            Volatile.Write(ref _clients, [.. _clients, client]);
        }
    }

    /// <summary>Removes a client (RESET, or the connection closing); nothing if it does not monitor.</summary>
    public void Remove(RespSession client)
    {
        lock (_lock)
        {
            if (_clients.Contains(client))
            {
                Volatile.Write(ref _clients, [.. _clients.Where(c => c != client)]);
            }
        }
    }

    /// <summary>Sends <paramref name="line"/> (a whole RESP simple string) to every monitoring client.</summary>
    public void Send(byte[] line)
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            client.ShowMonitored(line);
        }
    }
}
