using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>PING [message]: PONG, or the message back.</summary>
internal sealed class Ping : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        if (args.Count > 2)
        {
            session.Reply.WriteError("ERR wrong number of arguments for 'ping' command"u8);
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
