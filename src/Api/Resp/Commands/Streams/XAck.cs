using Platform.Api.Resp.Connections;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>
/// XACK key group id [id ...]: the number acknowledged. A missing key or group answers 0 before
/// the IDs are even read, as in Redis.
/// </summary>
internal sealed class XAck : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var group = GrainKeys.FromBytes(args[2]);
        var ids = new StreamId[args.Count - 3];
        for (var i = 3; i < args.Count; i++)
        {
            if (!StreamIds.TryParse(args[i], 0, strict: true, out ids[i - 3]))
            {
                return Reply(session, session.Stream(1).HasGroupAsync(group), static (session, exists) =>
                {
                    if (exists)
                    {
                        session.Reply.WriteError(StreamReplies.InvalidId);
                    }
                    else
                    {
                        session.Reply.WriteInteger(0);
                    }
                });
            }
        }

        return Reply(session, session.Stream(1).AckAsync(group, ids), static (session, acknowledged) => session.Reply.WriteInteger(acknowledged));
    }
}
