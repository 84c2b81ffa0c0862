using Platform.Api.Resp.Connections;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...].</summary>
internal sealed class XAdd : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        if (AddOrTrimArguments.Parse(session, xadd: true) is not { } parsed)
        {
            return ValueTask.CompletedTask;
        }

        var args = session.Args;
        var fields = args.Count - parsed.IdIndex - 1;
        if (fields < 2 || fields % 2 == 1)
        {
            session.Reply.WriteError("ERR wrong number of arguments for 'xadd' command"u8);
            return ValueTask.CompletedTask;
        }

        var stream = session.Stream(1);
        var hold = session.HoldWaitersOf(stream);
        var request = new AddRequest(args.Memories(parsed.IdIndex + 1, fields), parsed.Id, parsed.Mode, parsed.NoMakeStream, parsed.Trim, hold);
        return Reply(session, stream.AddAsync(request), static (session, result) =>
        {
            var reply = session.Reply;
            switch (result.Error)
            {
                case StreamError.None:
                    StreamIds.Write(reply, result.Id);
                    break;
                case StreamError.NoKey:
                    reply.WriteNullBulk();
                    break;
                case StreamError.IdZero:
                    reply.WriteError("ERR The ID specified in XADD must be greater than 0-0"u8);
                    break;
                case StreamError.Exhausted:
                    reply.WriteError("ERR The stream has exhausted the last possible ID, unable to add more items"u8);
                    break;
                default:
                    reply.WriteError("ERR The ID specified in XADD is equal or smaller than the target stream top item"u8);
                    break;
            }
        });
    }
}
