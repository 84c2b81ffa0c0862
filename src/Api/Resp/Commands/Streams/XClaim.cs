using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>
/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT n]
/// [FORCE] [JUSTID] [LASTID id]. The group is checked first, then the arguments, as in Redis.
/// </summary>
internal sealed class XClaim : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var stream = session.Stream(1);
        var group = GrainKeys.FromBytes(args[2]);
        if (!await stream.HasGroupAsync(group).ConfigureAwait(false))
        {
            StreamReplies.WriteNoKeyOrGroup(reply, args[1], args[2]);
            return;
        }

        if (!RedisNumbers.TryParseInt64(args[4], out var minIdle))
        {
            reply.WriteError("ERR Invalid min-idle-time argument for XCLAIM"u8);
            return;
        }

        var ids = new List<StreamId>();
        var i = 5;
        for (; i < args.Count && StreamIds.TryParse(args[i], 0, strict: true, out var id); i++)
        {
            ids.Add(id);
        }

        long idle = -1, time = -1, retryCount = -1;
        bool force = false, justId = false;
        StreamId? lastId = null;
        for (; i < args.Count; i++)
        {
            var more = args.Count - 1 - i;
            if (args.Is(i, "force"u8))
            {
                force = true;
            }
            else if (args.Is(i, "justid"u8))
            {
                justId = true;
            }
            else if (args.Is(i, "idle"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out idle))
                {
                    reply.WriteError("ERR Invalid IDLE option argument for XCLAIM"u8);
                    return;
                }

                time = -1;
            }
            else if (args.Is(i, "time"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out time))
                {
                    reply.WriteError("ERR Invalid TIME option argument for XCLAIM"u8);
                    return;
                }

                // A TIME before the epoch falls back to now, as Redis does with any bogus time.
                time = time < 0 ? long.MaxValue : time;
                idle = -1;
            }
            else if (args.Is(i, "retrycount"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out retryCount))
                {
                    reply.WriteError("ERR Invalid RETRYCOUNT option argument for XCLAIM"u8);
                    return;
                }
            }
            else if (args.Is(i, "lastid"u8) && more > 0)
            {
                if (!StreamIds.TryParse(args[++i], 0, strict: true, out var parsed))
                {
                    reply.WriteError(StreamReplies.InvalidId);
                    return;
                }

                lastId = parsed;
            }
            else
            {
                var option = args[i];
                reply.WriteFormattedError([.. "ERR Unrecognized XCLAIM option '"u8, .. option, .. "'"u8]);
                return;
            }
        }

        var request = new ClaimRequest(
            group, GrainKeys.FromBytes(args[3]), Math.Max(0, minIdle), [.. ids], idle, time, retryCount, force, justId, lastId);
        var result = await stream.ClaimAsync(request).ConfigureAwait(false);
        if (result.Error != StreamError.None)
        {
            StreamReplies.WriteNoKeyOrGroup(reply, args[1], args[2]);
        }
        else if (justId)
        {
            StreamReplies.WriteIds(reply, result.Entries!);
        }
        else
        {
            StreamReplies.WriteEntries(reply, result.Entries!);
        }
    }
}

/// <summary>XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID].</summary>
internal sealed class XAutoClaim : RespCommand
{
    // Redis caps COUNT so that ten attempts per entry cannot overflow.
    private const long MaxCount = long.MaxValue / 16;

    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (!RedisNumbers.TryParseInt64(args[4], out var minIdle))
        {
            reply.WriteError("ERR Invalid min-idle-time argument for XAUTOCLAIM"u8);
            return;
        }

        if (!StreamIds.TryParseBound(args[5], 0, out var start, out var exclusive))
        {
            reply.WriteError(StreamReplies.InvalidId);
            return;
        }

        if (exclusive && !start.TryIncrement(out start))
        {
            reply.WriteError("ERR invalid start ID for the interval"u8);
            return;
        }

        long count = 100;
        var justId = false;
        for (var i = 6; i < args.Count; i++)
        {
            if (args.Is(i, "count"u8) && i + 1 < args.Count)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out count) || count < 1 || count > MaxCount)
                {
                    reply.WriteError("ERR COUNT must be > 0"u8);
                    return;
                }
            }
            else if (args.Is(i, "justid"u8))
            {
                justId = true;
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return;
            }
        }

        var request = new AutoClaimRequest(GrainKeys.FromBytes(args[2]), GrainKeys.FromBytes(args[3]), Math.Max(0, minIdle), start, count, justId);
        var result = await session.Stream(1).AutoClaimAsync(request).ConfigureAwait(false);
        if (result.Error != StreamError.None)
        {
            StreamReplies.WriteNoKeyOrGroup(reply, args[1], args[2]);
            return;
        }

        reply.WriteArrayHeader(3);
        StreamIds.Write(reply, result.Next);
        if (justId)
        {
            StreamReplies.WriteIds(reply, result.Entries!);
        }
        else
        {
            StreamReplies.WriteEntries(reply, result.Entries!);
        }

        reply.WriteArrayHeader(result.Deleted.Length);
        foreach (var id in result.Deleted)
        {
            StreamIds.Write(reply, id);
        }
    }
}
