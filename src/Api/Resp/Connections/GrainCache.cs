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

    // Each grain with its key, whose name part (from NameStart) is compared with the bytes asked for.
    private readonly (int Database, string Key, int NameStart, IStreamGrain Grain)[] _entries = new (int, string, int, IStreamGrain)[Size];
    private int _next;

    /// <summary>The grain of stream <paramref name="name"/> in <paramref name="database"/>.</summary>
    public IStreamGrain Stream(int database, ReadOnlySpan<byte> name)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key is not null && entry.Database == database && GrainKeys.IsKeyOf(entry.Key.AsSpan(entry.NameStart), name))
            {
                return entry.Grain;
            }
        }

        var key = StreamKeys.Of(database, name);
        var grain = grains.GetGrain<IStreamGrain>(key);
        _entries[_next] = (database, key, key.Length - name.Length, grain);
        _next = (_next + 1) % Size;
        return grain;
    }
}
