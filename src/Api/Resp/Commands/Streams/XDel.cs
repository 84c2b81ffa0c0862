using Platform.Api.Resp.Connections;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XDEL key id [id ...]: every ID is checked before any entry is deleted.</summary>
internal sealed class XDel : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var ids = new StreamId[args.Count - 2];
        for (var i = 2; i < args.Count; i++)
        {
            if (!StreamIds.TryParse(args[i], 0, strict: true, out ids[i - 2]))
            {
                session.Reply.WriteError(StreamReplies.InvalidId);
                return ValueTask.CompletedTask;
            }
        }

        return Reply(session, session.Stream(1).DeleteEntriesAsync(ids), static (session, deleted) => session.Reply.WriteInteger(deleted));
    }
}
