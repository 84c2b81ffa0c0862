using System.Reflection;
using Platform.Api.Resp.Connections;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams;
using Platform.Silo;

namespace Platform.Api.Tests;

/// <summary>
/// The server-wide cache of stream grains by name bytes: each name and database gets its own
/// grain, from the cache or not, whatever shares its slot; a stream asked for again is found
/// without a new reference, even after a thousand others; a stream asked for once takes no slot
/// from the ones in use.
/// </summary>
public sealed class GrainCacheTests
{
    private readonly CountingFactory _factory = new();

    [Fact]
    public void Each_name_and_database_gets_the_grain_of_its_own_key()
    {
        var cache = new GrainCache(_factory);
        var names = Enumerable.Range(0, 20_000).Select(i => Encoding.Latin1.GetBytes($"s:{i}")).Append([0xFF, 0x00, (byte)'x']).ToList();
        foreach (var name in names)
        {
            foreach (var database in (int[])[0, 1])
            {
                // Twice in a row takes the slot; the third is served from it.
                for (var ask = 0; ask < 3; ask++)
                {
                    Assert.Equal(StreamKeys.Of(database, name), KeyOf(cache.Stream(database, name)));
                }
            }
        }
    }

    [Fact]
    public void Streams_that_share_a_slot_each_get_their_own_grain()
    {
        var names = Enumerable.Range(0, 1_000_000).Select(i => Encoding.Latin1.GetBytes($"s:{i}"));

        // Two names in one database, and one name in two databases, that meet in a slot.
        var first = names.First();
        var second = names.Skip(1).First(name => GrainCache.SlotOf(0, name) == GrainCache.SlotOf(0, first));
        var both = names.First(name => GrainCache.SlotOf(0, name) == GrainCache.SlotOf(1, name));
        foreach (var (a, b) in (((int, byte[]), (int, byte[]))[])[((0, first), (0, second)), ((0, both), (1, both))])
        {
            var cache = new GrainCache(_factory);
            foreach (var (database, name) in (ReadOnlySpan<(int, byte[])>)[a, a, a, b, a, b, b, b, a])
            {
                Assert.Equal(StreamKeys.Of(database, name), KeyOf(cache.Stream(database, name)));
            }
        }
    }

    [Fact]
    public void A_stream_asked_for_again_is_found_without_a_new_reference_even_after_a_thousand_others()
    {
        var cache = new GrainCache(_factory);
        var names = Enumerable.Range(0, 1000).Select(i => Encoding.Latin1.GetBytes($"s:{i}")).ToList();
        for (var pass = 0; pass < 2; pass++)
        {
            names.ForEach(name => cache.Stream(0, name));
        }

        var before = _factory.References;
        names.ForEach(name => cache.Stream(0, name));

        // Names that share a slot with another in use miss (about a fifth of a thousand in its
        // 4,096 slots); a cache of a connection's last few streams missed every one.
        Assert.InRange(_factory.References - before, 0, names.Count / 3);
    }

    [Fact]
    public void A_stream_asked_for_once_takes_no_slot_from_one_in_use()
    {
        var cache = new GrainCache(_factory);
        var hot = "hot"u8.ToArray();
        cache.Stream(0, hot);
        cache.Stream(0, hot);
        var before = _factory.References;
        foreach (var i in Enumerable.Range(0, 100_000))
        {
            cache.Stream(0, Encoding.Latin1.GetBytes($"once:{i}"));
        }

        Assert.Equal(100_000, _factory.References - before);
        before = _factory.References;
        Assert.Equal("0:hot", KeyOf(cache.Stream(0, hot)));
        Assert.Equal(before, _factory.References);
    }

    private static string KeyOf(IStreamGrain grain) => ((KeyedGrain)(object)grain).Key;

    private sealed class CountingFactory : IGrainFactory
    {
        public int References { get; private set; }

        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
            where TGrainInterface : IGrainWithStringKey
        {
            References++;
            var grain = DispatchProxy.Create<TGrainInterface, KeyedGrain>();
            ((KeyedGrain)(object)grain!).Key = primaryKey;
            return grain;
        }

        public TObserver CreateObjectReference<TObserver>(TObserver observer)
            where TObserver : IGrainObserver => throw new NotSupportedException();

        public void DeleteObjectReference<TObserver>(TObserver reference)
            where TObserver : IGrainObserver => throw new NotSupportedException();
    }

    // A reference that only knows its key: the cache never calls the grain.
    public class KeyedGrain : DispatchProxy
    {
        public string Key { get; set; } = "";

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new NotSupportedException();
    }
}
