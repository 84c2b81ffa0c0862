namespace Platform.Client;

/// <summary>XINFO STREAM: the stream's length, IDs and first and last entries.</summary>
public sealed class StreamInfo
{
    /// <summary>Number of entries.</summary>
    public long Length { get; init; }

    /// <summary>Keys in the stream's radix tree (Redis internals; our server reports its own figure).</summary>
    public long RadixTreeKeys { get; init; }

    /// <summary>Nodes in the stream's radix tree.</summary>
    public long RadixTreeNodes { get; init; }

    /// <summary>Number of consumer groups.</summary>
    public long Groups { get; init; }

    /// <summary>The last ID generated (or given) by XADD.</summary>
    public StreamId LastGeneratedId { get; init; }

    /// <summary>The largest ID ever deleted (Redis 7).</summary>
    public StreamId? MaxDeletedEntryId { get; init; }

    /// <summary>Entries ever added (Redis 7).</summary>
    public long? EntriesAdded { get; init; }

    /// <summary>The first ID still recorded (Redis 7).</summary>
    public StreamId? RecordedFirstEntryId { get; init; }

    /// <summary>The first entry; null when the stream is empty.</summary>
    public StreamEntry? FirstEntry { get; init; }

    /// <summary>The last entry; null when the stream is empty.</summary>
    public StreamEntry? LastEntry { get; init; }
}

/// <summary>One consumer group as XINFO GROUPS reports it.</summary>
public sealed class StreamGroupInfo
{
    /// <summary>The group's name.</summary>
    public required string Name { get; init; }

    /// <summary>Number of consumers.</summary>
    public long Consumers { get; init; }

    /// <summary>Entries delivered and not yet acknowledged.</summary>
    public long Pending { get; init; }

    /// <summary>The last ID delivered to the group.</summary>
    public StreamId LastDeliveredId { get; init; }

    /// <summary>Entries read by the group (Redis 7; null when unknown).</summary>
    public long? EntriesRead { get; init; }

    /// <summary>Entries not yet delivered to the group (Redis 7; null when it cannot be told).</summary>
    public long? Lag { get; init; }
}

/// <summary>One consumer as XINFO CONSUMERS reports it.</summary>
public sealed class StreamConsumerInfo
{
    /// <summary>The consumer's name.</summary>
    public required string Name { get; init; }

    /// <summary>Entries delivered to it and not yet acknowledged.</summary>
    public long Pending { get; init; }

    /// <summary>Time since its last attempted interaction (read, claim).</summary>
    public TimeSpan Idle { get; init; }

    /// <summary>Time since its last successful interaction (Redis 7.2+; null before).</summary>
    public TimeSpan? Inactive { get; init; }
}

/// <summary>XPENDING's summary form: how many entries are pending, their ID range, and how many per consumer.</summary>
public sealed class StreamPendingSummary
{
    /// <summary>Pending entries in the group.</summary>
    public long Count { get; init; }

    /// <summary>The smallest pending ID; null when nothing is pending.</summary>
    public StreamId? LowestId { get; init; }

    /// <summary>The greatest pending ID; null when nothing is pending.</summary>
    public StreamId? HighestId { get; init; }

    /// <summary>Pending entries per consumer (consumers with none are not listed).</summary>
    public IReadOnlyDictionary<string, long> Consumers { get; init; } = new Dictionary<string, long>();
}

/// <summary>One pending entry from XPENDING's extended form.</summary>
public sealed class StreamPendingEntry
{
    /// <summary>The entry's ID.</summary>
    public StreamId Id { get; init; }

    /// <summary>The consumer that holds it.</summary>
    public required string Consumer { get; init; }

    /// <summary>Time since it was last delivered.</summary>
    public TimeSpan Idle { get; init; }

    /// <summary>How many times it has been delivered.</summary>
    public long DeliveryCount { get; init; }
}

/// <summary>Options of XPENDING's extended form.</summary>
public sealed class StreamPendingOptions
{
    /// <summary>The smallest ID to list (default "-").</summary>
    public StreamBound Start { get; init; } = StreamBound.Minimum;

    /// <summary>The greatest ID to list (default "+").</summary>
    public StreamBound End { get; init; } = StreamBound.Maximum;

    /// <summary>At most this many entries.</summary>
    public int Count { get; init; } = 100;

    /// <summary>IDLE: only entries idle at least this long.</summary>
    public TimeSpan? MinIdle { get; init; }

    /// <summary>Only this consumer's entries.</summary>
    public string? Consumer { get; init; }
}

/// <summary>XAUTOCLAIM's reply: where to continue, the entries claimed, and the IDs that were pending but no longer exist (removed from the PEL).</summary>
public sealed class StreamAutoClaimResult
{
    /// <summary>Creates a result.</summary>
    public StreamAutoClaimResult(StreamId nextStart, IReadOnlyList<StreamEntry> entries, IReadOnlyList<StreamId> deletedIds)
    {
        NextStart = nextStart;
        Entries = entries;
        DeletedIds = deletedIds;
    }

    /// <summary>The start for the next call; 0-0 when the whole PEL has been scanned.</summary>
    public StreamId NextStart { get; }

    /// <summary>The entries now owned by the claiming consumer (IDs only with JUSTID: fields empty).</summary>
    public IReadOnlyList<StreamEntry> Entries { get; }

    /// <summary>IDs that were pending but deleted from the stream.</summary>
    public IReadOnlyList<StreamId> DeletedIds { get; }
}
