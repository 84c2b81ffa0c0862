using Platform.Grains;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams;
using Platform.Silo;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// References to stream grains by database and name bytes, shared by every connection. A command
/// names its key in bytes: making the key string and a proxy for each command, and finding the
/// new proxy's activation in the directory, was a tenth of the server's CPU for XADD to a thousand
/// streams, which a cache of a connection's last few streams did not help. Direct-mapped: a slot
/// per hash of the name, so the cache stays one array however many keys come and go, and names
/// made to collide only miss. A proxy outlives its activations (it finds the next one), so an
/// entry never goes stale.
/// </summary>
/// <remarks>
/// A stream takes its slot only when it misses there twice in a row: with XADD to a hundred
/// thousand streams nearly every command missed, and the entries each kept for a while outlived
/// collections and cost more (about 5% more CPU per XADD) than the cache saved.
/// </remarks>
internal sealed class GrainCache(IGrainFactory grains)
{
    private const int Slots = 1 << 12;

    private readonly Entry?[] _slots = new Entry?[Slots];

    // The hash of the last name to miss in each slot.
    private readonly int[] _missed = new int[Slots];

    /// <summary>The grain of stream <paramref name="name"/> in <paramref name="database"/>.</summary>
    public IStreamGrain Stream(int database, ReadOnlySpan<byte> name)
    {
        var code = HashOf(database, name);
        var index = code & (Slots - 1);
        if (Volatile.Read(ref _slots[index]) is { } entry && entry.Database == database && GrainKeys.IsKeyOf(entry.Key.AsSpan(entry.NameStart), name))
        {
            return entry.Grain;
        }

        var key = StreamKeys.Of(database, name);
        var grain = grains.GetGrain<IStreamGrain>(key);
        // A race between connections costs at most a miss or a slot written twice: no lock needed.
        var missedBefore = _missed[index];
        _missed[index] = code;
        if (missedBefore == code)
        {
            Volatile.Write(ref _slots[index], new Entry(database, key, key.Length - name.Length, grain));
        }

        return grain;
    }

    /// <summary>The slot of stream <paramref name="name"/> in <paramref name="database"/>: tests make streams meet in one.</summary>
    internal static int SlotOf(int database, ReadOnlySpan<byte> name) => HashOf(database, name) & (Slots - 1);

    private static int HashOf(int database, ReadOnlySpan<byte> name)
    {
        var hash = new HashCode();
        hash.Add(database);
        hash.AddBytes(name);
        return hash.ToHashCode();
    }

    // Immutable, so that a connection reading a slot while another replaces it sees one whole entry.
    private sealed record Entry(int Database, string Key, int NameStart, IStreamGrain Grain);
}
