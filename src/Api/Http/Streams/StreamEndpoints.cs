using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Http.Problems;
using Platform.Api.Server;
using Platform.Grains.Streams;

namespace Platform.Api.Http.Streams;

/// <summary>
/// Streams over HTTP: the RESP port's XADD, XRANGE/XREVRANGE, XLEN, XDEL, XTRIM, XINFO STREAM
/// and DEL on the same grains, with the same checks and errors (as problem details).
/// </summary>
internal static class StreamEndpoints
{
    // A page of XRANGE when the client names no count.
    private const long DefaultPageSize = 100;

    /// <summary>Maps the /streams/{key} endpoints.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var stream = routes.MapGroup("/streams/{key}").WithTags("Streams");

        stream.MapPost("/entries", AddAsync)
            .WithName("AddEntry")
            .WithSummary("Add an entry (XADD), optionally trimming (MAXLEN / MINID)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .Writes();

        stream.MapGet("/entries", RangeAsync)
            .WithName("RangeEntries")
            .WithSummary("A page of entries between two IDs (XRANGE, or XREVRANGE with reverse=true)")
            .Reads();

        stream.MapGet("/entries/{id}", GetAsync)
            .WithName("GetEntry")
            .WithSummary("One entry")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Reads();

        stream.MapDelete("/entries/{id}", DeleteEntryAsync)
            .WithName("DeleteEntry")
            .WithSummary("Delete an entry (XDEL)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        stream.MapGet("", InfoAsync)
            .WithName("StreamInfo")
            .WithSummary("The stream's figures and first and last entries (XINFO STREAM)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Reads();

        stream.MapDelete("", DeleteAsync)
            .WithName("DeleteStream")
            .WithSummary("Delete the stream, its entries and groups (DEL)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        stream.MapGet("/length", LengthAsync)
            .WithName("StreamLength")
            .WithSummary("The number of entries (XLEN; 0 when the stream does not exist)")
            .Reads();

        stream.MapPost("/trim", TrimAsync)
            .WithName("TrimStream")
            .WithSummary("Trim the stream (XTRIM MAXLEN / MINID)")
            .Writes();

        stream.MapGet("/tail", StreamTail.RunAsync)
            .WithName("TailStream")
            .WithSummary("Follow the stream by server-sent events")
            .WithDescription(
                "Each new entry is an event 'entry' whose id is the entry ID and whose data is the entry (StreamEntry). " +
                "It starts after Last-Event-ID when the client reconnects (EventSource sends it), else after ?after= " +
                "('$', the default, for new entries only; '0' for the whole stream). A first event 'ready' carries, as " +
                "its id, the ID the tail starts after. Keep-alive comments flow on a quiet stream.")
            .Produces<StreamEntry>(StatusCodes.Status200OK, Subscribers.ServerSentEvents.ContentType)
            .Reads();
    }

    private static async Task<Results<Created<AddEntryResponse>, ProblemHttpResult>> AddAsync(
        string key, int? db, AddEntryRequest body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (!StreamArguments.TryParseTrim(body.Trim, required: false, out var trim, out var problem)
            || !StreamArguments.TryParseAddId(body.Id, out var id, out var mode, out problem)
            || !StreamArguments.TryParseFields(body, out var fields, out problem))
        {
            return problem;
        }

        var result = await address.Grain(server.Grains).AddAsync(new AddRequest(fields, id, mode, body.NoMakeStream, trim)).ConfigureAwait(false);
        if (result.Error != StreamError.None)
        {
            return StreamProblems.AddFailed(result.Error);
        }

        var added = result.Id.ToString();
        return TypedResults.Created($"/streams/{Uri.EscapeDataString(address.Name)}/entries/{added}", new AddEntryResponse(added));
    }

    private static async Task<Results<Ok<EntryPage>, ProblemHttpResult>> RangeAsync(
        string key, int? db,
        ServerContext server,
        [Description("The low bound: an ID, '(' and an ID for an exclusive bound, or '-' (the default) for the first entry.")] string? start,
        [Description("The high bound: an ID, '(' and an ID, or '+' (the default) for the last entry.")] string? end,
        [Description("At most this many entries (100 by default).")] long? count,
        [Description("From the high bound down (XREVRANGE).")] bool? reverse)
    {
        var address = new StreamAddress(key, db);
        var backwards = reverse ?? false;
        var pageSize = count ?? DefaultPageSize;
        if (!StreamArguments.TryCheckCount(pageSize, "count", out var problem)
            || !StreamArguments.TryParseInterval(start ?? "-", end ?? "+", out var from, out var to, out problem))
        {
            return problem;
        }

        if (pageSize == 0)
        {
            return TypedResults.Ok(new EntryPage([], null));
        }

        // One more than the page tells whether a next page exists.
        var entries = await address.Grain(server.Grains).RangeAsync(from, to, pageSize == long.MaxValue ? pageSize : pageSize + 1, backwards).ConfigureAwait(false);
        if (entries is null || entries.Count == 0)
        {
            return TypedResults.Ok(new EntryPage([], null));
        }

        var shown = (int)Math.Min(entries.Count, pageSize);
        var next = entries.Count > pageSize ? "(" + entries.Id(shown - 1) : null;
        return TypedResults.Ok(new EntryPage(Entries.ToJson(entries, 0, shown), next));
    }

    private static async Task<Results<Ok<StreamEntry>, ProblemHttpResult>> GetAsync(
        string key, int? db, [Description("The entry ID.")] string id, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (!StreamArguments.TryParseId(id, out var entryId, out var problem))
        {
            return problem;
        }

        var entries = await address.Grain(server.Grains).RangeAsync(entryId, entryId, 1, reverse: false).ConfigureAwait(false);
        return entries is { Count: > 0 }
            ? TypedResults.Ok(Entries.ToJson(entries, 0))
            : NoEntry(address, entryId);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteEntryAsync(
        string key, int? db, [Description("The entry ID.")] string id, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (!StreamArguments.TryParseId(id, out var entryId, out var problem))
        {
            return problem;
        }

        var deleted = await address.Grain(server.Grains).DeleteEntriesAsync([entryId]).ConfigureAwait(false);
        return deleted > 0 ? TypedResults.NoContent() : NoEntry(address, entryId);
    }

    private static async Task<Results<Ok<StreamInfo>, ProblemHttpResult>> InfoAsync(string key, int? db, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (await address.Grain(server.Grains).InfoAsync().ConfigureAwait(false) is not { } summary)
        {
            return StreamProblems.NoKey();
        }

        var edges = summary.Entries;
        return TypedResults.Ok(new StreamInfo(
            summary.Length,
            summary.RadixTreeKeys,
            summary.RadixTreeNodes,
            summary.LastGeneratedId.ToString(),
            summary.MaxDeletedEntryId.ToString(),
            summary.EntriesAdded,
            summary.RecordedFirstEntryId.ToString(),
            summary.Groups,
            edges.Count > 0 ? Entries.ToJson(edges, 0) : null,
            edges.Count > 0 ? Entries.ToJson(edges, edges.Count - 1) : null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string key, int? db, ServerContext server) =>
        await new StreamAddress(key, db).Grain(server.Grains).DeleteAsync().ConfigureAwait(false) ? TypedResults.NoContent() : StreamProblems.NoKey();

    private static async Task<Ok<StreamLength>> LengthAsync(string key, int? db, ServerContext server) =>
        TypedResults.Ok(new StreamLength(await new StreamAddress(key, db).Grain(server.Grains).LengthAsync().ConfigureAwait(false)));

    private static async Task<Results<Ok<TrimResponse>, ProblemHttpResult>> TrimAsync(string key, int? db, TrimSpec body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (!StreamArguments.TryParseTrim(body, required: true, out var trim, out var problem))
        {
            return problem;
        }

        return TypedResults.Ok(new TrimResponse(await address.Grain(server.Grains).TrimAsync(trim).ConfigureAwait(false)));
    }

    private static ProblemHttpResult NoEntry(StreamAddress address, StreamId id) =>
        Problem.Of(ProblemKind.NoSuchEntry, $"ERR no entry {id} in stream '{address.Name}'");
}
