using System.Collections.Concurrent;

namespace Platform.Api.Resp.Connections;

/// <summary>The connected RESP clients, by id: CLIENT LIST, CLIENT KILL, INFO clients, maxclients.</summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<long, RespSession> _clients = new();
    private long _lastId;

    /// <summary>Connected clients.</summary>
    public int Count => _clients.Count;

    /// <summary>A new client id: increasing, never reused, as Redis's.</summary>
    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Adds a connected client.</summary>
    public void Add(RespSession session) => _clients[session.Id] = session;

    /// <summary>Removes a client that has gone.</summary>
    public void Remove(RespSession session) => _clients.TryRemove(session.Id, out _);

    /// <summary>The client with <paramref name="id"/>, if connected.</summary>
    public RespSession? Find(long id) => _clients.GetValueOrDefault(id);

    /// <summary>The clients in the order they connected.</summary>
    public IEnumerable<RespSession> Snapshot() => _clients.Values.OrderBy(c => c.Id);
}
