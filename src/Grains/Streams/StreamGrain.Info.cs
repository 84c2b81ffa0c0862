using Platform.Grains.Streams.State;

namespace Platform.Grains.Streams;

/// <summary>XINFO STREAM, GROUPS and CONSUMERS.</summary>
internal sealed partial class StreamGrain
{
    /// <inheritdoc/>
    public ValueTask<StreamSummary?> InfoAsync()
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result<StreamSummary?>(null);
        }

        // first-entry and last-entry, in that order (one entry each, or none for an empty stream).
        var edges = new StreamEntries(2);
        state.Entries.Range(StreamId.Min, StreamId.Max, 1, reverse: false, edges);
        state.Entries.Range(StreamId.Min, StreamId.Max, 1, reverse: true, edges);
        return Result<StreamSummary?>(Summary(state, edges));
    }

    /// <inheritdoc/>
    public ValueTask<StreamDetail?> InfoFullAsync(long count)
    {
        var now = NowMs;
        var state = Current(now);
        if (state is null)
        {
            return Result<StreamDetail?>(null);
        }

        var entries = new StreamEntries();
        state.Entries.Range(StreamId.Min, StreamId.Max, count, reverse: false, entries);
        var groups = state.Groups.Values.Select(group => new GroupDetail(
            GroupSummaryOf(state, group),
            group.Pending.Count,
            Limit(group.Pending.All, count).Select(Detail).ToArray(),
            group.Consumers.Values.Select(consumer => new ConsumerDetail(
                consumer.Name,
                consumer.SeenTimeMs,
                consumer.Pending.Count,
                Limit(consumer.Pending.All, count).Select(Detail).ToArray())).ToArray())).ToArray();
        return Result<StreamDetail?>(new StreamDetail(Summary(state, entries), groups));
    }

    /// <inheritdoc/>
    public ValueTask<GroupSummary[]?> GroupsAsync()
    {
        var state = Current(NowMs);
        return Result(state?.Groups.Values.Select(group => GroupSummaryOf(state, group)).ToArray());
    }

    /// <inheritdoc/>
    public ValueTask<(StreamError Error, ConsumerSummary[] Consumers)> ConsumersAsync(string group)
    {
        var now = NowMs;
        if (!TryGetGroup(group, out _, out var found, out var error))
        {
            return Result((error, Array.Empty<ConsumerSummary>()));
        }

        var consumers = found.Consumers.Values
            .Select(c => new ConsumerSummary(c.Name, c.Pending.Count, Math.Max(0, now - c.SeenTimeMs)))
            .ToArray();
        return Result((StreamError.None, consumers));
    }

    private static StreamSummary Summary(StreamState state, StreamEntries entries) => new(
        state.Length,
        state.Entries.BlockCount,
        RadixTreeNodes(state.Entries.BlockCount),
        state.LastId,
        state.MaxDeletedId,
        state.EntriesAdded,
        state.FirstId,
        state.Groups.Count,
        entries);

    private static GroupSummary GroupSummaryOf(StreamState state, ConsumerGroup group) => new(
        group.Name,
        group.Consumers.Count,
        group.Pending.Count,
        group.LastDeliveredId,
        group.EntriesRead == ConsumerGroup.UnknownEntriesRead ? null : group.EntriesRead,
        state.Lag(group));

    private static PendingEntryDetail Detail(PendingEntry entry) =>
        new(entry.Id, entry.Owner.Name, entry.DeliveryTimeMs, entry.DeliveryCount);

    // COUNT 0 lists everything.
    private static IEnumerable<PendingEntry> Limit(IEnumerable<PendingEntry> entries, long count) =>
        count > 0 ? entries.Take((int)Math.Min(count, int.MaxValue)) : entries;

    // Redis reports its radix tree's node count; ours is a list of blocks. An empty tree has one
    // node, and each key of 16 bytes adds about one: the figure is an estimate.
    private static long RadixTreeNodes(int blocks) => blocks + 1;
}
