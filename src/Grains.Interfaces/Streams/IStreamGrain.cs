using Platform.Grains.Keyspace;

namespace Platform.Grains.Streams;

/// <summary>
/// One stream key (grain key: <c>"{db}:{name}"</c>, see <see cref="StreamKeys"/>): its entries, consumer
/// groups, pending lists and blocked readers, with Redis 7's semantics. Arguments have been
/// validated by the caller; what can only be known here (no such key or group, an ID too small)
/// comes back as a <see cref="StreamError"/>.
/// </summary>
public interface IStreamGrain : IKeyGrain
{
    /// <summary>XADD.</summary>
    ValueTask<AddResult> AddAsync(AddRequest request);

    /// <summary>XLEN (0 for a missing key).</summary>
    ValueTask<long> LengthAsync();

    /// <summary>DUMP: the value as Redis 7.0 serializes it (RESTORE's payload); null without the key.</summary>
    ValueTask<byte[]?> DumpAsync();

    /// <summary>MEMORY USAGE: about how many bytes the key and its value hold; -1 without the key.</summary>
    ValueTask<long> MemoryUsageAsync();

    /// <summary>XRANGE / XREVRANGE, at most <paramref name="count"/> entries (-1: all): null when the key does not exist.</summary>
    ValueTask<StreamEntries?> RangeAsync(StreamId start, StreamId end, long count, bool reverse);

    /// <summary>XDEL: the number of entries deleted.</summary>
    ValueTask<long> DeleteEntriesAsync(StreamId[] ids);

    /// <summary>XTRIM: the number of entries removed.</summary>
    ValueTask<long> TrimAsync(TrimRequest trim);

    /// <summary>XSETID (<paramref name="entriesAdded"/> -1 and <paramref name="maxDeletedId"/> 0-0 when not given).</summary>
    ValueTask<StreamError> SetIdAsync(StreamId id, long entriesAdded, StreamId maxDeletedId);

    /// <summary>XREAD of one stream: entries after <paramref name="after"/> (null: the stream's last ID, i.e. <c>$</c>).</summary>
    /// <returns>The entries (empty if none or no key) and the ID <c>$</c> stood for.</returns>
    ValueTask<(StreamEntries Entries, StreamId LastId)> ReadAsync(StreamId? after, long count);

    /// <summary>
    /// XREADGROUP of one stream. <see cref="ReadGroupResult.Entries"/> is null when there was
    /// nothing new to serve (the <c>&gt;</c> ID): the caller blocks or leaves the stream out.
    /// </summary>
    ValueTask<ReadGroupResult> ReadGroupAsync(ReadGroupRequest request);

    /// <summary>Whether the key exists and has the group (XREADGROUP checks every stream before reading any).</summary>
    ValueTask<bool> HasGroupAsync(string group);

    /// <summary>
    /// Registers a blocked reader. If what it waits for is already here, the waiter is claimed and
    /// completed at once; otherwise it is completed by the first XADD that brings something for it.
    /// </summary>
    ValueTask BlockAsync(StreamWaiter waiter, WaitRequest request);

    /// <summary>Forgets a waiter that ended elsewhere.</summary>
    ValueTask UnblockAsync(StreamWaiter waiter);

    /// <summary>Serves blocked readers held by a transaction's XADDs.</summary>
    ValueTask ServeWaitersAsync();

    /// <summary>XGROUP CREATE (<paramref name="id"/> null: <c>$</c>).</summary>
    ValueTask<StreamError> CreateGroupAsync(string group, StreamId? id, bool makeStream, long entriesRead);

    /// <summary>XGROUP SETID (<paramref name="id"/> null: <c>$</c>).</summary>
    ValueTask<StreamError> SetGroupIdAsync(string group, StreamId? id, long entriesRead);

    /// <summary>XGROUP DESTROY: 1 if destroyed, 0 if there was no such group.</summary>
    ValueTask<(StreamError Error, long Destroyed)> DestroyGroupAsync(string group);

    /// <summary>XGROUP CREATECONSUMER: 1 if created, 0 if it existed.</summary>
    ValueTask<(StreamError Error, long Created)> CreateConsumerAsync(string group, string consumer);

    /// <summary>XGROUP DELCONSUMER: the consumer's pending entries, now dropped.</summary>
    ValueTask<(StreamError Error, long Pending)> DeleteConsumerAsync(string group, string consumer);

    /// <summary>XACK: the number acknowledged (0 for a missing key or group).</summary>
    ValueTask<long> AckAsync(string group, StreamId[] ids);

    /// <summary>XPENDING summary.</summary>
    ValueTask<PendingSummary> PendingSummaryAsync(string group);

    /// <summary>XPENDING extended.</summary>
    ValueTask<PendingRange> PendingRangeAsync(PendingRangeRequest request);

    /// <summary>XCLAIM.</summary>
    ValueTask<ClaimResult> ClaimAsync(ClaimRequest request);

    /// <summary>XAUTOCLAIM.</summary>
    ValueTask<AutoClaimResult> AutoClaimAsync(AutoClaimRequest request);

    /// <summary>XINFO STREAM (null: no key).</summary>
    ValueTask<StreamSummary?> InfoAsync();

    /// <summary>XINFO STREAM FULL [COUNT count] (null: no key).</summary>
    ValueTask<StreamDetail?> InfoFullAsync(long count);

    /// <summary>XINFO GROUPS (null: no key).</summary>
    ValueTask<GroupSummary[]?> GroupsAsync();

    /// <summary>XINFO CONSUMERS.</summary>
    ValueTask<(StreamError Error, ConsumerSummary[] Consumers)> ConsumersAsync(string group);
}
