using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>
/// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]: the summary, or the
/// pending entries themselves.
/// </summary>
internal sealed class XPending : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (args.Count != 3 && (args.Count < 6 || args.Count > 9))
        {
            reply.WriteError(Errors.Syntax);
            return ValueTask.CompletedTask;
        }

        var group = GrainKeys.FromBytes(args[2]);
        if (args.Count == 3)
        {
            return Reply(session, session.Stream(1).PendingSummaryAsync(group), static (session, summary) => WriteSummary(session, summary));
        }

        var startIndex = 3;
        long minIdle = 0;
        if (args.Is(3, "idle"u8))
        {
            if (!RedisNumbers.TryParseInt64(args[4], out minIdle))
            {
                reply.WriteError(Errors.NotInteger);
                return ValueTask.CompletedTask;
            }

            if (args.Count < 8)
            {
                reply.WriteError(Errors.Syntax);
                return ValueTask.CompletedTask;
            }

            startIndex += 2;
        }

        if (!RedisNumbers.TryParseInt64(args[startIndex + 2], out var count))
        {
            reply.WriteError(Errors.NotInteger);
            return ValueTask.CompletedTask;
        }

        if (!StreamIds.TryParseBound(args[startIndex], 0, out var start, out var startExclusive))
        {
            reply.WriteError(StreamReplies.InvalidId);
            return ValueTask.CompletedTask;
        }

        if (startExclusive && !start.TryIncrement(out start))
        {
            reply.WriteError("ERR invalid start ID for the interval"u8);
            return ValueTask.CompletedTask;
        }

        if (!StreamIds.TryParseBound(args[startIndex + 1], ulong.MaxValue, out var end, out var endExclusive))
        {
            reply.WriteError(StreamReplies.InvalidId);
            return ValueTask.CompletedTask;
        }

        if (endExclusive && !end.TryDecrement(out end))
        {
            reply.WriteError("ERR invalid end ID for the interval"u8);
            return ValueTask.CompletedTask;
        }

        var consumer = startIndex + 3 < args.Count ? GrainKeys.FromBytes(args[startIndex + 3]) : null;
        var request = new PendingRangeRequest(group, minIdle, start, end, Math.Max(0, count), consumer);
        return Reply(session, session.Stream(1).PendingRangeAsync(request), static (session, range) =>
        {
            var reply = session.Reply;
            if (range.Error != StreamError.None)
            {
                StreamReplies.WriteNoKeyOrGroup(reply, session.Args[1], session.Args[2]);
                return;
            }

            reply.WriteArrayHeader(range.Entries.Count);
            foreach (var entry in range.Entries)
            {
                reply.WriteArrayHeader(4);
                StreamIds.Write(reply, entry.Id);
                reply.WriteBulk(GrainKeys.ToBytes(entry.Consumer));
                reply.WriteInteger(entry.IdleMs);
                reply.WriteInteger(entry.DeliveryCount);
            }
        });
    }

    private static void WriteSummary(RespSession session, PendingSummary summary)
    {
        var reply = session.Reply;
        if (summary.Error != StreamError.None)
        {
            StreamReplies.WriteNoKeyOrGroup(reply, session.Args[1], session.Args[2]);
            return;
        }

        reply.WriteArrayHeader(4);
        reply.WriteInteger(summary.Count);
        if (summary.Count == 0)
        {
            reply.WriteNullBulk();
            reply.WriteNullBulk();
            reply.WriteNullArray();
            return;
        }

        StreamIds.Write(reply, summary.Smallest!.Value);
        StreamIds.Write(reply, summary.Largest!.Value);
        reply.WriteArrayHeader(summary.Consumers.Count);
        foreach (var (name, count) in summary.Consumers)
        {
            reply.WriteArrayHeader(2);
            reply.WriteBulk(GrainKeys.ToBytes(name));
            reply.WriteBulk(count);
        }
    }
}
