using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Http.Problems;
using Platform.Api.Http.Streams;
using Platform.Api.Server;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Http.Groups;

/// <summary>
/// Consumer groups over HTTP: the RESP port's XGROUP, XREADGROUP (a long poll), XACK, XPENDING,
/// XCLAIM, XAUTOCLAIM and XINFO GROUPS / CONSUMERS on the same grains: an HTTP consumer and a
/// RESP consumer of one group share its entries and never get the same one.
/// </summary>
internal static class GroupEndpoints
{
    // Redis caps XAUTOCLAIM's COUNT so that ten attempts per entry cannot overflow.
    private const long MaxAutoClaimCount = long.MaxValue / 16;

    // Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown.
    private const long UnknownEntriesRead = -1;

    private const long DefaultCount = 100;

    /// <summary>Maps the /streams/{key}/groups endpoints.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var groups = routes.MapGroup("/streams/{key}/groups").WithTags("Consumer groups");

        groups.MapGet("", ListAsync)
            .WithName("ListGroups")
            .WithSummary("The stream's consumer groups with their pending counts and lag (XINFO GROUPS)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Reads();

        groups.MapPost("", CreateAsync)
            .WithName("CreateGroup")
            .WithSummary("Create a consumer group (XGROUP CREATE, with MKSTREAM)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Writes();

        groups.MapDelete("/{group}", DestroyAsync)
            .WithName("DestroyGroup")
            .WithSummary("Destroy a consumer group (XGROUP DESTROY)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        groups.MapPut("/{group}/last-delivered-id", SetIdAsync)
            .WithName("SetGroupId")
            .WithSummary("Set the group's last delivered ID (XGROUP SETID)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        groups.MapPost("/{group}/consumers/{consumer}/read", ReadAsync)
            .WithName("ReadGroup")
            .WithSummary("Read entries for a consumer (XREADGROUP); with block, a long poll")
            .WithDescription(
                "With id '>' (the default) the consumer gets entries never delivered to the group, which become pending " +
                "until acknowledged; with an ID, its own pending entries after it. With block (ms; 0 waits until " +
                "something arrives or the client goes) and nothing new, the request waits for the next entry.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        groups.MapPost("/{group}/ack", AckAsync)
            .WithName("Ack")
            .WithSummary("Acknowledge entries (XACK)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        groups.MapGet("/{group}/pending", PendingSummaryAsync)
            .WithName("PendingSummary")
            .WithSummary("The group's pending entries: count, smallest and largest ID, count per consumer (XPENDING)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Reads();

        groups.MapGet("/{group}/pending/entries", PendingEntriesAsync)
            .WithName("PendingEntries")
            .WithSummary("The pending entries themselves (XPENDING's extended form)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Reads();

        groups.MapPost("/{group}/claim", ClaimAsync)
            .WithName("Claim")
            .WithSummary("Take over pending entries (XCLAIM)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        groups.MapPost("/{group}/autoclaim", AutoClaimAsync)
            .WithName("AutoClaim")
            .WithSummary("Take over pending entries idle long enough, scanning from a cursor (XAUTOCLAIM)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();

        groups.MapGet("/{group}/consumers", ConsumersAsync)
            .WithName("ListConsumers")
            .WithSummary("The group's consumers (XINFO CONSUMERS)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Reads();

        groups.MapDelete("/{group}/consumers/{consumer}", DeleteConsumerAsync)
            .WithName("DeleteConsumer")
            .WithSummary("Delete a consumer and its pending entries (XGROUP DELCONSUMER)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Writes();
    }

    private static async Task<Results<Ok<List<GroupInfo>>, ProblemHttpResult>> ListAsync(string key, int? db, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (await address.Grain(server.Grains).GroupsAsync().ConfigureAwait(false) is not { } groups)
        {
            return StreamProblems.NoKey();
        }

        return TypedResults.Ok(groups
            .Select(g => new GroupInfo(GrainKeys.ToText(g.Name), g.Consumers, g.Pending, g.LastDeliveredId.ToString(), g.EntriesRead, g.Lag))
            .ToList());
    }

    private static async Task<Results<Created<GroupInfo>, ProblemHttpResult>> CreateAsync(
        string key, int? db, CreateGroupRequest body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (!TryCheckEntriesRead(body.EntriesRead, out var problem))
        {
            return problem;
        }

        var stream = address.Grain(server.Grains);
        var group = GrainKeys.FromText(body.Name);
        StreamId? id = null;
        if (body.Id is not (null or "$"))
        {
            if (!StreamArguments.TryParseId(body.Id, out var parsed, out problem))
            {
                return !body.MkStream && !await stream.ExistsAsync().ConfigureAwait(false) ? StreamProblems.GroupNeedsKey() : problem;
            }

            id = parsed;
        }

        var error = await stream.CreateGroupAsync(group, id, body.MkStream, body.EntriesRead ?? UnknownEntriesRead).ConfigureAwait(false);
        switch (error)
        {
            case StreamError.None:
                var created = (await stream.GroupsAsync().ConfigureAwait(false))?.FirstOrDefault(g => g.Name == group);
                var info = created is { } g
                    ? new GroupInfo(body.Name, g.Consumers, g.Pending, g.LastDeliveredId.ToString(), g.EntriesRead, g.Lag)
                    : new GroupInfo(body.Name, 0, 0, (id ?? StreamId.Min).ToString(), null, null);
                return TypedResults.Created($"/streams/{Uri.EscapeDataString(address.Name)}/groups/{Uri.EscapeDataString(body.Name)}", info);
            case StreamError.GroupExists:
                return Problem.Of(ProblemKind.GroupExists, "BUSYGROUP Consumer Group name already exists");
            default:
                return StreamProblems.GroupNeedsKey();
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DestroyAsync(
        string key, int? db, [Description("The consumer group.")] string group, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var (error, destroyed) = await address.Grain(server.Grains).DestroyGroupAsync(GrainKeys.FromText(name)).ConfigureAwait(false);
        if (error != StreamError.None)
        {
            return StreamProblems.GroupNeedsKey();
        }

        return destroyed > 0 ? TypedResults.NoContent() : StreamProblems.NoGroupForKey(address.Name, name);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetIdAsync(
        string key, int? db, [Description("The consumer group.")] string group, SetGroupIdRequest body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        if (!TryCheckEntriesRead(body.EntriesRead, out var problem))
        {
            return problem;
        }

        var name = RouteNames.Decode(group);
        var stream = address.Grain(server.Grains);
        var groupKey = GrainKeys.FromText(name);
        StreamId? id = null;
        if (body.Id != "$")
        {
            // SETID takes "-" and "+" too, as the RESP port's does.
            if (!Resp.Commands.Streams.StreamIds.TryParse(Encoding.UTF8.GetBytes(body.Id), 0, strict: false, out var parsed))
            {
                if (!await stream.ExistsAsync().ConfigureAwait(false))
                {
                    return StreamProblems.GroupNeedsKey();
                }

                return !await stream.HasGroupAsync(groupKey).ConfigureAwait(false)
                    ? StreamProblems.NoGroupForKey(address.Name, name)
                    : StreamArguments.InvalidId();
            }

            id = parsed;
        }

        return await stream.SetGroupIdAsync(groupKey, id, body.EntriesRead ?? UnknownEntriesRead).ConfigureAwait(false) switch
        {
            StreamError.None => TypedResults.NoContent(),
            StreamError.NoGroup => StreamProblems.NoGroupForKey(address.Name, name),
            _ => StreamProblems.GroupNeedsKey(),
        };
    }

    private static async Task<Results<Ok<EntryList>, ProblemHttpResult>> ReadAsync(
        HttpContext context,
        string key, int? db,
        [Description("The consumer group.")] string group,
        [Description("The consumer (created on its first read).")] string consumer,
        [Description("'>' (the default) for entries never delivered to the group, or an ID: the consumer's pending entries after it.")] string? id,
        [Description("At most this many entries (100 by default; 0 for no limit).")] long? count,
        [Description("Wait up to this many milliseconds for new entries (0: until one arrives); no wait when absent.")] long? block,
        [Description("Do not add the entries to the pending list (NOACK).")] bool? noAck,
        ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var groupName = RouteNames.Decode(group);
        var limit = count ?? DefaultCount;
        if (!StreamArguments.TryCheckCount(limit, "count", out var problem))
        {
            return problem;
        }

        if (block < 0)
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR timeout is negative");
        }

        var newEntries = id is null or ">";
        var after = StreamId.Min;
        if (!newEntries && !StreamArguments.TryParseId(id, out after, out problem))
        {
            return problem;
        }

        var stream = address.Grain(server.Grains);
        var groupKey = GrainKeys.FromText(groupName);
        var consumerKey = GrainKeys.FromText(RouteNames.Decode(consumer));
        var result = await stream.ReadGroupAsync(new ReadGroupRequest(groupKey, consumerKey, newEntries, after, limit, noAck ?? false)).ConfigureAwait(false);
        if (result.Error != StreamError.None)
        {
            return NoKeyOrGroupInRead(address, groupName);
        }

        if (result.Entries is { } served)
        {
            return TypedResults.Ok(new EntryList(Entries.ToJson(served)));
        }

        if (block is not { } timeoutMs)
        {
            return TypedResults.Ok(new EntryList([]));
        }

        var request = new WaitRequest(address.GrainName, StreamId.Min, limit, groupKey, consumerKey, noAck ?? false);
        var timeout = BlockTimeout.FromMilliseconds(timeoutMs);
        var outcome = await StreamWaits.WaitAsync(stream, request, timeout, server.Time, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Error != StreamError.None)
        {
            return StreamProblems.WaitFailed(outcome.Error);
        }

        return TypedResults.Ok(new EntryList(outcome.Entries is { } arrived ? Entries.ToJson(arrived) : []));
    }

    private static async Task<Results<Ok<AckResponse>, ProblemHttpResult>> AckAsync(
        string key, int? db, [Description("The consumer group.")] string group, AckRequest body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        if (!StreamArguments.TryParseIds(body.Ids, "xack", out var ids, out var problem))
        {
            return problem;
        }

        var stream = address.Grain(server.Grains);
        var groupKey = GrainKeys.FromText(name);
        if (!await stream.HasGroupAsync(groupKey).ConfigureAwait(false))
        {
            return StreamProblems.NoKeyOrGroup(address.Name, name);
        }

        return TypedResults.Ok(new AckResponse(await stream.AckAsync(groupKey, ids).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<PendingSummaryResponse>, ProblemHttpResult>> PendingSummaryAsync(
        string key, int? db, [Description("The consumer group.")] string group, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var summary = await address.Grain(server.Grains).PendingSummaryAsync(GrainKeys.FromText(name)).ConfigureAwait(false);
        if (summary.Error != StreamError.None)
        {
            return StreamProblems.NoKeyOrGroup(address.Name, name);
        }

        return TypedResults.Ok(new PendingSummaryResponse(
            summary.Count,
            summary.Smallest?.ToString(),
            summary.Largest?.ToString(),
            summary.Consumers.Select(c => new ConsumerPending(GrainKeys.ToText(c.Key), c.Value)).ToList()));
    }

    private static async Task<Results<Ok<PendingEntries>, ProblemHttpResult>> PendingEntriesAsync(
        string key, int? db,
        [Description("The consumer group.")] string group,
        [Description("The low bound ('-', the default, an ID, or '(' and an ID).")] string? start,
        [Description("The high bound ('+', the default, an ID, or '(' and an ID).")] string? end,
        [Description("At most this many entries (100 by default).")] long? count,
        [Description("Only this consumer's entries.")] string? consumer,
        [Description("Only entries idle at least this many milliseconds (IDLE).")] long? minIdleMs,
        ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var limit = count ?? DefaultCount;
        if (!StreamArguments.TryCheckCount(limit, "count", out var problem)
            || !StreamArguments.TryParseInterval(start ?? "-", end ?? "+", out var from, out var to, out problem))
        {
            return problem;
        }

        var request = new PendingRangeRequest(
            GrainKeys.FromText(name), minIdleMs ?? 0, from, to, limit, consumer is null ? null : GrainKeys.FromText(consumer));
        var range = await address.Grain(server.Grains).PendingRangeAsync(request).ConfigureAwait(false);
        if (range.Error != StreamError.None)
        {
            return StreamProblems.NoKeyOrGroup(address.Name, name);
        }

        return TypedResults.Ok(new PendingEntries(range.Entries
            .Select(e => new PendingEntry(e.Id.ToString(), GrainKeys.ToText(e.Consumer), e.IdleMs, e.DeliveryCount))
            .ToList()));
    }

    private static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> ClaimAsync(
        string key, int? db, [Description("The consumer group.")] string group, ClaimEntriesRequest body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var stream = address.Grain(server.Grains);
        var groupKey = GrainKeys.FromText(name);

        // As XCLAIM: the group is checked before the arguments.
        if (!await stream.HasGroupAsync(groupKey).ConfigureAwait(false))
        {
            return StreamProblems.NoKeyOrGroup(address.Name, name);
        }

        if (body.IdleMs is not null && body.TimeMs is not null)
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR give either 'idleMs' or 'timeMs', not both");
        }

        StreamId? lastId = null;
        if (!StreamArguments.TryParseIds(body.Ids, "xclaim", out var ids, out var problem))
        {
            return problem;
        }

        if (body.LastId is not null)
        {
            if (!StreamArguments.TryParseId(body.LastId, out var parsed, out problem))
            {
                return problem;
            }

            lastId = parsed;
        }

        // A TIME before the epoch means now, as Redis takes any bogus time.
        var time = body.TimeMs is { } ms ? (ms < 0 ? long.MaxValue : ms) : -1;
        var request = new ClaimRequest(
            groupKey,
            GrainKeys.FromText(body.Consumer),
            Math.Max(0, body.MinIdleMs),
            ids,
            body.IdleMs ?? -1,
            time,
            body.RetryCount ?? -1,
            body.Force,
            body.JustId,
            lastId);
        var result = await stream.ClaimAsync(request).ConfigureAwait(false);
        if (result.Error != StreamError.None)
        {
            return StreamProblems.NoKeyOrGroup(address.Name, name);
        }

        return TypedResults.Ok(body.JustId
            ? new ClaimResponse(null, Entries.Ids(result.Entries!))
            : new ClaimResponse(Entries.ToJson(result.Entries!), null));
    }

    private static async Task<Results<Ok<AutoClaimResponse>, ProblemHttpResult>> AutoClaimAsync(
        string key, int? db, [Description("The consumer group.")] string group, AutoClaimEntriesRequest body, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var count = body.Count ?? DefaultCount;
        if (count is < 1 or > MaxAutoClaimCount)
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR COUNT must be > 0");
        }

        if (!StreamArguments.TryParseInterval(body.Start ?? "0-0", "+", out var start, out _, out var problem))
        {
            return problem;
        }

        var request = new AutoClaimRequest(GrainKeys.FromText(name), GrainKeys.FromText(body.Consumer), Math.Max(0, body.MinIdleMs), start, count, body.JustId);
        var result = await address.Grain(server.Grains).AutoClaimAsync(request).ConfigureAwait(false);
        if (result.Error != StreamError.None)
        {
            return StreamProblems.NoKeyOrGroup(address.Name, name);
        }

        var deleted = result.Deleted.Select(d => d.ToString()).ToList();
        return TypedResults.Ok(body.JustId
            ? new AutoClaimResponse(result.Next.ToString(), null, Entries.Ids(result.Entries!), deleted)
            : new AutoClaimResponse(result.Next.ToString(), Entries.ToJson(result.Entries!), null, deleted));
    }

    private static async Task<Results<Ok<List<ConsumerInfo>>, ProblemHttpResult>> ConsumersAsync(
        string key, int? db, [Description("The consumer group.")] string group, ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var (error, consumers) = await address.Grain(server.Grains).ConsumersAsync(GrainKeys.FromText(name)).ConfigureAwait(false);
        return error switch
        {
            StreamError.None => TypedResults.Ok(consumers.Select(c => new ConsumerInfo(GrainKeys.ToText(c.Name), c.Pending, c.IdleMs)).ToList()),
            StreamError.NoGroup => StreamProblems.NoGroupForKey(address.Name, name),
            _ => StreamProblems.NoKey(),
        };
    }

    private static async Task<Results<Ok<DeleteConsumerResponse>, ProblemHttpResult>> DeleteConsumerAsync(
        string key, int? db,
        [Description("The consumer group.")] string group,
        [Description("The consumer.")] string consumer,
        ServerContext server)
    {
        var address = new StreamAddress(key, db);
        var name = RouteNames.Decode(group);
        var (error, pending) = await address.Grain(server.Grains)
            .DeleteConsumerAsync(GrainKeys.FromText(name), GrainKeys.FromText(RouteNames.Decode(consumer))).ConfigureAwait(false);
        return error switch
        {
            StreamError.None => TypedResults.Ok(new DeleteConsumerResponse(pending)),
            StreamError.NoGroup => StreamProblems.NoGroupForKey(address.Name, name),
            _ => StreamProblems.GroupNeedsKey(),
        };
    }

    private static bool TryCheckEntriesRead(long? entriesRead, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        problem = entriesRead is < 0 and not UnknownEntriesRead
            ? Problem.Of(ProblemKind.BadRequest, "ERR value for ENTRIESREAD must be positive or -1")
            : null;
        return problem is null;
    }

    private static ProblemHttpResult NoKeyOrGroupInRead(StreamAddress address, string group) =>
        Problem.Of(ProblemKind.NoSuchGroup, $"NOGROUP No such key '{address.Name}' or consumer group '{group}' in XREADGROUP with GROUP option");
}
