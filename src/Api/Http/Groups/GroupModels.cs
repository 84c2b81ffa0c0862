using Platform.Api.Http.Streams;

namespace Platform.Api.Http.Groups;

/// <summary>A consumer group to create (XGROUP CREATE).</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Id">The last delivered ID to start from: "$" (the default) for new entries only, "0" for all.</param>
/// <param name="MkStream">Create the stream if it does not exist (MKSTREAM).</param>
/// <param name="EntriesRead">The group's entries-read counter (ENTRIESREAD), for lag.</param>
internal sealed record CreateGroupRequest(string Name, string? Id = null, bool MkStream = false, long? EntriesRead = null);

/// <summary>A group's new last delivered ID (XGROUP SETID).</summary>
/// <param name="Id">An entry ID, or "$" for the stream's last.</param>
/// <param name="EntriesRead">The group's entries-read counter (ENTRIESREAD).</param>
internal sealed record SetGroupIdRequest(string Id, long? EntriesRead = null);

/// <summary>A consumer group (XINFO GROUPS).</summary>
/// <param name="Name">The group.</param>
/// <param name="Consumers">Its consumers.</param>
/// <param name="Pending">Entries delivered and not yet acknowledged.</param>
/// <param name="LastDeliveredId">The last entry delivered to the group.</param>
/// <param name="EntriesRead">Entries the group has read; null when unknown.</param>
/// <param name="Lag">Entries not yet delivered to the group; null when unknown.</param>
internal sealed record GroupInfo(string Name, long Consumers, long Pending, string LastDeliveredId, long? EntriesRead, long? Lag);

/// <summary>A consumer of a group (XINFO CONSUMERS).</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Pending">Its pending entries.</param>
/// <param name="IdleMs">Milliseconds since it last read or claimed.</param>
internal sealed record ConsumerInfo(string Name, long Pending, long IdleMs);

/// <summary>Entries to acknowledge (XACK).</summary>
/// <param name="Ids">The entry IDs.</param>
internal sealed record AckRequest(IReadOnlyList<string> Ids);

/// <summary>XACK's reply.</summary>
/// <param name="Acknowledged">Entries that were pending and are no longer.</param>
internal sealed record AckResponse(long Acknowledged);

/// <summary>A consumer's count of pending entries.</summary>
/// <param name="Name">The consumer.</param>
/// <param name="Pending">Its pending entries.</param>
internal sealed record ConsumerPending(string Name, long Pending);

/// <summary>XPENDING's summary.</summary>
/// <param name="Count">Pending entries in the group.</param>
/// <param name="Smallest">The smallest pending ID; null when none.</param>
/// <param name="Largest">The largest pending ID; null when none.</param>
/// <param name="Consumers">The consumers with pending entries.</param>
internal sealed record PendingSummaryResponse(long Count, string? Smallest, string? Largest, IReadOnlyList<ConsumerPending> Consumers);

/// <summary>A pending entry (XPENDING's extended form).</summary>
/// <param name="Id">The entry.</param>
/// <param name="Consumer">Its owner.</param>
/// <param name="IdleMs">Milliseconds since its last delivery.</param>
/// <param name="DeliveryCount">Times it was delivered.</param>
internal sealed record PendingEntry(string Id, string Consumer, long IdleMs, long DeliveryCount);

/// <summary>Pending entries.</summary>
/// <param name="Entries">The entries, by ID.</param>
internal sealed record PendingEntries(IReadOnlyList<PendingEntry> Entries);

/// <summary>Entries to take over (XCLAIM).</summary>
/// <param name="Consumer">The new owner.</param>
/// <param name="MinIdleMs">Only entries idle at least this long.</param>
/// <param name="Ids">The entries.</param>
/// <param name="IdleMs">Set their idle time (IDLE).</param>
/// <param name="TimeMs">Or set their last delivery time, Unix ms (TIME).</param>
/// <param name="RetryCount">Set their delivery count (RETRYCOUNT).</param>
/// <param name="Force">Create pending entries for IDs not pending (FORCE).</param>
/// <param name="JustId">Return IDs only and leave the delivery counts alone (JUSTID).</param>
/// <param name="LastId">Raise the group's last delivered ID to this (LASTID).</param>
internal sealed record ClaimEntriesRequest(
    string Consumer,
    long MinIdleMs,
    IReadOnlyList<string> Ids,
    long? IdleMs = null,
    long? TimeMs = null,
    long? RetryCount = null,
    bool Force = false,
    bool JustId = false,
    string? LastId = null);

/// <summary>Claimed entries: the entries, or only their IDs with justId.</summary>
/// <param name="Entries">The entries claimed.</param>
/// <param name="Ids">Their IDs, with justId.</param>
internal sealed record ClaimResponse(IReadOnlyList<StreamEntry>? Entries, IReadOnlyList<string>? Ids);

/// <summary>Pending entries idle long enough to take over, scanned from a cursor (XAUTOCLAIM).</summary>
/// <param name="Consumer">The new owner.</param>
/// <param name="MinIdleMs">Only entries idle at least this long.</param>
/// <param name="Start">Scan from this ID ("0-0", the default, from the start; '(' for exclusive).</param>
/// <param name="Count">Claim at most this many (100 by default).</param>
/// <param name="JustId">Return IDs only.</param>
internal sealed record AutoClaimEntriesRequest(string Consumer, long MinIdleMs, string? Start = null, long? Count = null, bool JustId = false);

/// <summary>XAUTOCLAIM's reply.</summary>
/// <param name="Next">The start of the next scan; "0-0" when the scan is over.</param>
/// <param name="Entries">The entries claimed.</param>
/// <param name="Ids">Their IDs, with justId.</param>
/// <param name="Deleted">Pending IDs whose entries no longer exist (now removed from the pending list).</param>
internal sealed record AutoClaimResponse(string Next, IReadOnlyList<StreamEntry>? Entries, IReadOnlyList<string>? Ids, IReadOnlyList<string> Deleted);

/// <summary>What deleting a consumer dropped (XGROUP DELCONSUMER).</summary>
/// <param name="Pending">The consumer's pending entries, now dropped.</param>
internal sealed record DeleteConsumerResponse(long Pending);
