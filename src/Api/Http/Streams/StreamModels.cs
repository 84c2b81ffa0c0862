using System.Text.Json.Serialization;

namespace Platform.Api.Http.Streams;

/// <summary>One stream entry.</summary>
/// <param name="Id">The entry ID, "ms-seq".</param>
/// <param name="Fields">The fields in order, when every name and value is UTF-8 and no name repeats.</param>
/// <param name="FieldsBase64">Otherwise the fields as [name, value] pairs, each base64.</param>
/// <param name="Deleted">True for an entry that no longer exists but is still pending in a group (no fields).</param>
internal sealed record StreamEntry(
    string Id,
    Dictionary<string, string>? Fields = null,
    IReadOnlyList<string[]>? FieldsBase64 = null,
    bool? Deleted = null);

/// <summary>A page of entries.</summary>
/// <param name="Entries">The entries, in the order asked for.</param>
/// <param name="Next">
/// The bound that continues after this page ("(id", exclusive): the next page's <c>start</c>, or
/// its <c>end</c> when reading in reverse; null when there is nothing more.
/// </param>
internal sealed record EntryPage(
    IReadOnlyList<StreamEntry> Entries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>Entries read or claimed.</summary>
/// <param name="Entries">The entries.</param>
internal sealed record EntryList(IReadOnlyList<StreamEntry> Entries);

/// <summary>Trimming, as XADD's and XTRIM's MAXLEN / MINID options: one strategy.</summary>
/// <param name="MaxLen">Keep at most this many entries (MAXLEN).</param>
/// <param name="MinId">Drop the entries below this ID (MINID).</param>
/// <param name="Approximate">The <c>~</c> form: whole blocks only, cheaper.</param>
/// <param name="Limit">With <c>approximate</c>: remove at most this many entries (default 10,000; 0 no limit).</param>
internal sealed record TrimSpec(long? MaxLen = null, string? MinId = null, bool Approximate = false, long? Limit = null);

/// <summary>An entry to add (XADD).</summary>
/// <param name="Fields">The fields, in order (UTF-8 names and values).</param>
/// <param name="FieldsBase64">Or the fields as [name, value] pairs, each base64 (any bytes, repeated names).</param>
/// <param name="Id">"*" (the default) for an ID chosen by the server, "ms-*" for a chosen sequence, or "ms-seq".</param>
/// <param name="Trim">Trim the stream after the add.</param>
/// <param name="NoMakeStream">Do not create the stream if it does not exist (NOMKSTREAM): 404 then.</param>
internal sealed record AddEntryRequest(
    Dictionary<string, string>? Fields = null,
    IReadOnlyList<string[]>? FieldsBase64 = null,
    string? Id = null,
    TrimSpec? Trim = null,
    bool NoMakeStream = false);

/// <summary>The added entry.</summary>
/// <param name="Id">Its ID.</param>
internal sealed record AddEntryResponse(string Id);

/// <summary>A stream's length (XLEN; 0 when it does not exist).</summary>
/// <param name="Length">Entries in the stream.</param>
internal sealed record StreamLength(long Length);

/// <summary>What a trim removed (XTRIM).</summary>
/// <param name="Removed">Entries removed.</param>
internal sealed record TrimResponse(long Removed);

/// <summary>XINFO STREAM.</summary>
/// <param name="Length">Entries.</param>
/// <param name="RadixTreeKeys">Blocks of entries.</param>
/// <param name="RadixTreeNodes">Radix tree nodes, as Redis estimates them.</param>
/// <param name="LastGeneratedId">The top ID.</param>
/// <param name="MaxDeletedEntryId">The largest ID deleted.</param>
/// <param name="EntriesAdded">Entries ever added.</param>
/// <param name="RecordedFirstEntryId">The first entry's ID.</param>
/// <param name="Groups">Consumer groups.</param>
/// <param name="FirstEntry">The first entry; null when empty.</param>
/// <param name="LastEntry">The last entry; null when empty.</param>
internal sealed record StreamInfo(
    long Length,
    long RadixTreeKeys,
    long RadixTreeNodes,
    string LastGeneratedId,
    string MaxDeletedEntryId,
    long EntriesAdded,
    string RecordedFirstEntryId,
    int Groups,
    StreamEntry? FirstEntry,
    StreamEntry? LastEntry);
