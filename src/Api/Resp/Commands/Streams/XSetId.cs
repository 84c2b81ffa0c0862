using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id].</summary>
internal sealed class XSetId : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (!StreamIds.TryParse(args[2], 0, strict: true, out var id))
        {
            reply.WriteError(StreamReplies.InvalidId);
            return ValueTask.CompletedTask;
        }

        long entriesAdded = -1;
        var maxDeleted = StreamId.Min;
        for (var i = 3; i < args.Count; i += 2)
        {
            var more = args.Count - 1 - i;
            if (args.Is(i, "entriesadded"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[i + 1], out entriesAdded))
                {
                    reply.WriteError(Errors.NotInteger);
                    return ValueTask.CompletedTask;
                }

                if (entriesAdded < 0)
                {
                    reply.WriteError("ERR entries_added must be positive"u8);
                    return ValueTask.CompletedTask;
                }
            }
            else if (args.Is(i, "maxdeletedid"u8) && more > 0)
            {
                if (!StreamIds.TryParse(args[i + 1], 0, strict: true, out maxDeleted))
                {
                    reply.WriteError(StreamReplies.InvalidId);
                    return ValueTask.CompletedTask;
                }

                if (id < maxDeleted)
                {
                    reply.WriteError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"u8);
                    return ValueTask.CompletedTask;
                }
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return ValueTask.CompletedTask;
            }
        }

        return Reply(session, session.Stream(1).SetIdAsync(id, entriesAdded, maxDeleted), static (session, error) =>
            StreamReplies.WriteOkOr(session.Reply, error switch
            {
                StreamError.None => default,
                StreamError.NoKey => "ERR no such key"u8,
                StreamError.EntriesAddedTooSmall => "ERR The entries_added specified in XSETID is smaller than the target stream length"u8,
                _ => "ERR The ID specified in XSETID is smaller than the target stream top item"u8,
            }));
    }
}
