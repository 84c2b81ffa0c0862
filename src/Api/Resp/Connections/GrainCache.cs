using Platform.Grains;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams;
using Platform.Silo;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// The stream grains a connection used last, by database and name bytes: a client hammering one
/// stream finds its reference here without building a key string and a proxy per command.
/// </summary>
internal sealed class GrainCache(IGrainFactory grains)
{
    private const int Size = 4;
    private readonly (int Database, byte[] Name, IStreamGrain Grain)[] _entries = new (int, byte[], IStreamGrain)[Size];
    private int _next;

    /// <summary>The grain of stream <paramref name="name"/> in <paramref name="database"/>.</summary>
    public IStreamGrain Stream(int database, ReadOnlySpan<byte> name)
    {
        foreach (var entry in _entries)
        {
            if (entry.Name is not null && entry.Database == database && name.SequenceEqual(entry.Name))
            {
                return entry.Grain;
            }
        }

        var grain = grains.GetGrain<IStreamGrain>(StreamKeys.Of(database, GrainKeys.FromBytes(name)));
        _entries[_next] = (database, name.ToArray(), grain);
        _next = (_next + 1) % Size;
        return grain;
    }
}
