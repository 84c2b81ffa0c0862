namespace Platform.Grains.Streams;

/// <summary>How XADD's ID was given.</summary>
public enum IdMode
{
    /// <summary><c>*</c>: time and sequence chosen by the stream.</summary>
    Auto,

    /// <summary><c>ms-*</c>: the time given, the sequence chosen.</summary>
    AutoSequence,

    /// <summary><c>ms-seq</c>.</summary>
    Explicit,
}

/// <summary>XADD/XTRIM's trimming strategy.</summary>
public enum TrimStrategy
{
    /// <summary>No trimming.</summary>
    None,

    /// <summary>MAXLEN: keep at most this many entries.</summary>
    MaxLength,

    /// <summary>MINID: drop entries below this ID.</summary>
    MinId,
}

/// <summary>A trimming request: MAXLEN or MINID, exact or approximate (~, whole blocks only), with LIMIT.</summary>
/// <param name="Strategy">MAXLEN, MINID or none.</param>
/// <param name="MaxLength">For MAXLEN.</param>
/// <param name="MinId">For MINID.</param>
/// <param name="Approximate">The <c>~</c> form.</param>
/// <param name="Limit">At most this many entries removed (0: no limit).</param>
public readonly record struct TrimRequest(TrimStrategy Strategy, long MaxLength, StreamId MinId, bool Approximate, long Limit)
{
    /// <summary>No trimming.</summary>
    public static TrimRequest None => default;
}

/// <summary>XADD.</summary>
/// <param name="FieldsAndValues">Alternating field names and values; read during the call only.</param>
/// <param name="Id">The ID given (ignored for <see cref="IdMode.Auto"/>).</param>
/// <param name="Mode">How the ID was given.</param>
/// <param name="NoMakeStream">NOMKSTREAM: do not create a missing stream.</param>
/// <param name="Trim">Trimming after the add.</param>
/// <param name="HoldWaiters">
/// Inside EXEC: blocked readers are served when the transaction ends
/// (<see cref="IStreamGrain.ServeWaitersAsync"/>), so they see all of its entries, as in Redis.
/// </param>
public readonly record struct AddRequest(
    ReadOnlyMemory<ReadOnlyMemory<byte>> FieldsAndValues, StreamId Id, IdMode Mode, bool NoMakeStream, TrimRequest Trim, bool HoldWaiters = false);

/// <summary>XADD's outcome.</summary>
/// <param name="Error">Why nothing was added; <see cref="StreamError.NoKey"/> for NOMKSTREAM on a missing key.</param>
/// <param name="Id">The new entry's ID.</param>
public readonly record struct AddResult(StreamError Error, StreamId Id);

/// <summary>XREADGROUP on one stream.</summary>
/// <param name="Group">The group.</param>
/// <param name="Consumer">The consumer, created if new.</param>
/// <param name="NewEntries">The <c>&gt;</c> ID: entries never delivered to the group.</param>
/// <param name="After">Otherwise, the consumer's pending entries after this ID.</param>
/// <param name="Count">At most this many entries (0: no limit).</param>
/// <param name="NoAck">NOACK: new entries are not added to the pending list.</param>
public readonly record struct ReadGroupRequest(string Group, string Consumer, bool NewEntries, StreamId After, long Count, bool NoAck);

/// <summary>XREADGROUP's outcome on one stream.</summary>
/// <param name="Error">NoKey or NoGroup, else none.</param>
/// <param name="Entries">The entries read; empty when there were none.</param>
public readonly record struct ReadGroupResult(StreamError Error, StreamEntries? Entries);

/// <summary>XCLAIM.</summary>
/// <param name="Group">The group.</param>
/// <param name="Consumer">The new owner.</param>
/// <param name="MinIdleMs">Only entries idle at least this long.</param>
/// <param name="Ids">The entries to claim.</param>
/// <param name="IdleMs">IDLE: set the idle time (-1: not given).</param>
/// <param name="TimeMs">TIME: set the delivery time (-1: not given).</param>
/// <param name="RetryCount">RETRYCOUNT: set the delivery count (-1: not given).</param>
/// <param name="Force">FORCE: create pending entries for IDs not pending.</param>
/// <param name="JustId">JUSTID: return IDs only, leave the delivery count alone.</param>
/// <param name="LastId">LASTID: raise the group's last-delivered-id.</param>
public readonly record struct ClaimRequest(
    string Group, string Consumer, long MinIdleMs, StreamId[] Ids, long IdleMs, long TimeMs, long RetryCount, bool Force, bool JustId, StreamId? LastId);

/// <summary>XCLAIM's outcome.</summary>
/// <param name="Error">NoKey or NoGroup, else none.</param>
/// <param name="Entries">Claimed entries (with fields unless JUSTID).</param>
public readonly record struct ClaimResult(StreamError Error, StreamEntries? Entries);

/// <summary>XAUTOCLAIM.</summary>
/// <param name="Group">The group.</param>
/// <param name="Consumer">The new owner.</param>
/// <param name="MinIdleMs">Only entries idle at least this long.</param>
/// <param name="Start">Scan the pending list from here.</param>
/// <param name="Count">Claim at most this many.</param>
/// <param name="JustId">Return IDs only.</param>
public readonly record struct AutoClaimRequest(string Group, string Consumer, long MinIdleMs, StreamId Start, long Count, bool JustId);

/// <summary>XAUTOCLAIM's outcome.</summary>
/// <param name="Error">NoKey or NoGroup, else none.</param>
/// <param name="Next">The cursor for the next call (0-0 when the scan is over).</param>
/// <param name="Entries">Claimed entries.</param>
/// <param name="Deleted">Pending IDs whose entries no longer exist (removed from the pending list).</param>
public readonly record struct AutoClaimResult(StreamError Error, StreamId Next, StreamEntries? Entries, StreamId[] Deleted);

/// <summary>XPENDING's extended form.</summary>
/// <param name="Group">The group.</param>
/// <param name="MinIdleMs">IDLE: only entries idle at least this long (0: all).</param>
/// <param name="Start">From this ID.</param>
/// <param name="End">To this ID.</param>
/// <param name="Count">At most this many.</param>
/// <param name="Consumer">Only this consumer's entries (null: all).</param>
public readonly record struct PendingRangeRequest(string Group, long MinIdleMs, StreamId Start, StreamId End, long Count, string? Consumer);
