using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>
/// PING [message]: PONG, or the message back; in RESP2 subscribed mode, the array ["pong", message]
/// (an empty message without one), as Redis answers there.
/// </summary>
internal sealed class Ping : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        if (args.Count > 2)
        {
            session.Reply.WriteError("ERR wrong number of arguments for 'ping' command"u8);
        }
        else if (session.Protocol == 2 && session.IsSubscribed)
        {
            session.Reply.WriteArrayHeader(2);
            session.Reply.WriteBulk("pong"u8);
            session.Reply.WriteBulk(args.Count == 2 ? args[1] : default);
        }
        else if (args.Count == 1)
        {
            session.Reply.WriteRaw("+PONG\r\n"u8);
        }
        else
        {
            session.Reply.WriteBulk(args[1]);
        }
    }
}
