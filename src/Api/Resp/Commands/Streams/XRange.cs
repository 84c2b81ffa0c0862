using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XRANGE key start end [COUNT count], and XREVRANGE key end start [COUNT count].</summary>
internal sealed class XRange(bool reverse) : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var startIndex = reverse ? 3 : 2;
        var endIndex = reverse ? 2 : 3;
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

        if (!StreamIds.TryParseBound(args[endIndex], ulong.MaxValue, out var end, out var endExclusive))
        {
            reply.WriteError(StreamReplies.InvalidId);
            return ValueTask.CompletedTask;
        }

        if (endExclusive && !end.TryDecrement(out end))
        {
            reply.WriteError("ERR invalid end ID for the interval"u8);
            return ValueTask.CompletedTask;
        }

        long count = -1;
        for (var i = 4; i < args.Count; i++)
        {
            if (args.Is(i, "count"u8) && i + 1 < args.Count)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out count))
                {
                    reply.WriteError(Errors.NotInteger);
                    return ValueTask.CompletedTask;
                }

                count = Math.Max(0, count);
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return ValueTask.CompletedTask;
            }
        }

        if (count == 0)
        {
            // COUNT 0 answers a null array for an existing stream, an empty one otherwise.
            return Reply(session, session.Stream(1).ExistsAsync(), static (session, exists) =>
            {
                if (exists)
                {
                    session.Reply.WriteNullArray();
                }
                else
                {
                    session.Reply.WriteArrayHeader(0);
                }
            });
        }

        return Reply(session, session.Stream(1).RangeAsync(start, end, count, reverse), static (session, entries) =>
        {
            if (entries is null)
            {
                session.Reply.WriteArrayHeader(0);
            }
            else
            {
                StreamReplies.WriteEntries(session.Reply, entries);
            }
        });
    }
}
