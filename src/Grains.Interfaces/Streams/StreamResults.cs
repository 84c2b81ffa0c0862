namespace Platform.Grains.Streams;

/// <summary>XPENDING's summary form.</summary>
/// <param name="Error">NoKey or NoGroup, else none.</param>
/// <param name="Count">Pending entries in the group.</param>
/// <param name="Smallest">Smallest pending ID (null when none).</param>
/// <param name="Largest">Largest pending ID (null when none).</param>
/// <param name="Consumers">Each consumer with pending entries and how many, by name.</param>
public readonly record struct PendingSummary(
    StreamError Error, long Count, StreamId? Smallest, StreamId? Largest, IReadOnlyList<KeyValuePair<string, long>> Consumers);

/// <summary>One pending entry, as XPENDING's extended form lists it.</summary>
/// <param name="Id">The entry.</param>
/// <param name="Consumer">Its owner.</param>
/// <param name="IdleMs">Milliseconds since its last delivery.</param>
/// <param name="DeliveryCount">Times delivered.</param>
public readonly record struct PendingEntryInfo(StreamId Id, string Consumer, long IdleMs, long DeliveryCount);

/// <summary>XPENDING's extended form.</summary>
/// <param name="Error">NoKey or NoGroup, else none.</param>
/// <param name="Entries">The pending entries.</param>
public readonly record struct PendingRange(StreamError Error, IReadOnlyList<PendingEntryInfo> Entries);

/// <summary>XINFO STREAM (and the head of its FULL form).</summary>
/// <param name="Length">Entries.</param>
/// <param name="RadixTreeKeys">Blocks (Redis's listpack nodes).</param>
/// <param name="RadixTreeNodes">Redis's radix tree nodes, estimated.</param>
/// <param name="LastGeneratedId">The top ID.</param>
/// <param name="MaxDeletedEntryId">The largest ID deleted.</param>
/// <param name="EntriesAdded">Entries ever added.</param>
/// <param name="RecordedFirstEntryId">The first entry's ID.</param>
/// <param name="Groups">Number of consumer groups.</param>
/// <param name="Entries">First and last entry (basic form) or the first COUNT entries (FULL).</param>
public readonly record struct StreamSummary(
    long Length,
    long RadixTreeKeys,
    long RadixTreeNodes,
    StreamId LastGeneratedId,
    StreamId MaxDeletedEntryId,
    long EntriesAdded,
    StreamId RecordedFirstEntryId,
    int Groups,
    StreamEntries Entries);

/// <summary>XINFO GROUPS' view of one group.</summary>
/// <param name="Name">The group.</param>
/// <param name="Consumers">Its consumers.</param>
/// <param name="Pending">Its pending entries.</param>
/// <param name="LastDeliveredId">Its last-delivered-id.</param>
/// <param name="EntriesRead">Its logical read counter; null when unknown.</param>
/// <param name="Lag">Entries not yet delivered; null when unknown.</param>
public readonly record struct GroupSummary(string Name, long Consumers, long Pending, StreamId LastDeliveredId, long? EntriesRead, long? Lag);

/// <summary>XINFO CONSUMERS' view of one consumer.</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Pending">Its pending entries.</param>
/// <param name="IdleMs">Milliseconds since it last read or claimed.</param>
public readonly record struct ConsumerSummary(string Name, long Pending, long IdleMs);

/// <summary>A pending entry in XINFO STREAM FULL.</summary>
/// <param name="Id">The entry.</param>
/// <param name="Consumer">Its owner.</param>
/// <param name="DeliveryTimeMs">When it was last delivered (Unix ms).</param>
/// <param name="DeliveryCount">Times delivered.</param>
public readonly record struct PendingEntryDetail(StreamId Id, string Consumer, long DeliveryTimeMs, long DeliveryCount);

/// <summary>A consumer in XINFO STREAM FULL.</summary>
/// <param name="Name">The consumer.</param>
/// <param name="SeenTimeMs">When it last read or claimed (Unix ms).</param>
/// <param name="PendingCount">Its pending entries.</param>
/// <param name="Pending">Its first pending entries (up to COUNT).</param>
public readonly record struct ConsumerDetail(string Name, long SeenTimeMs, long PendingCount, IReadOnlyList<PendingEntryDetail> Pending);

/// <summary>A group in XINFO STREAM FULL.</summary>
/// <param name="Summary">Name, last-delivered-id, entries-read, lag.</param>
/// <param name="PendingCount">Its pending entries.</param>
/// <param name="Pending">Its first pending entries (up to COUNT).</param>
/// <param name="Consumers">Its consumers.</param>
public readonly record struct GroupDetail(GroupSummary Summary, long PendingCount, IReadOnlyList<PendingEntryDetail> Pending, IReadOnlyList<ConsumerDetail> Consumers);

/// <summary>XINFO STREAM FULL.</summary>
/// <param name="Stream">The stream's figures and its first COUNT entries.</param>
/// <param name="Groups">Every group in detail.</param>
public readonly record struct StreamDetail(StreamSummary Stream, IReadOnlyList<GroupDetail> Groups);
