using System.Buffers;

namespace Platform.Api.Resp.Protocol;

/// <summary>
/// Byte buffers of the protocol path: pooled up to 1 MiB; larger ones (a huge argument or reply)
/// are allocated for the occasion and, once dropped, a background collection is asked for, so
/// their memory is given back promptly rather than at the next collection, as Redis frees a big
/// argument at once.
/// </summary>
internal static class ByteBuffers
{
    /// <summary>The largest buffer taken from and returned to the pool.</summary>
    public const int PooledLimit = 1024 * 1024;

    private const int CollectAbove = 32 * 1024 * 1024;

    // Drops come in bursts (every block of a huge request within a moment): the collection runs
    // shortly after the first large drop, once the burst is over.
    private static readonly TimeSpan CollectionDelay = TimeSpan.FromMilliseconds(500);
    private static long _dropped;
    private static int _collectionScheduled;

    /// <summary>A buffer of at least <paramref name="size"/> bytes.</summary>
    public static byte[] Rent(int size) =>
        size <= PooledLimit ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    /// <summary>Gives a buffer back and forgets it; the empty array stands for "none".</summary>
    public static void Return(ref byte[] buffer)
    {
        if (buffer.Length is > 0 and <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            Dropped(buffer.Length);
        }

        buffer = [];
    }

    /// <summary>
    /// Counts memory let go to the collector; once a large amount has been, a background
    /// collection is asked for.
    /// </summary>
    public static void Dropped(long bytes)
    {
        if (Interlocked.Add(ref _dropped, bytes) >= CollectAbove && Interlocked.Exchange(ref _collectionScheduled, 1) == 0)
        {
            _ = CollectAsync();
        }
    }

    private static async Task CollectAsync()
    {
        await Task.Delay(CollectionDelay).ConfigureAwait(false);
        Interlocked.Exchange(ref _dropped, 0);
        Volatile.Write(ref _collectionScheduled, 0);
        GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);
    }
}
