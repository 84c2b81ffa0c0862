using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>
/// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: ends the blocking command (XREAD, XREADGROUP, WAIT)
/// of that client as its timeout would, or with UNBLOCKED's error; 1 if the client was blocked.
/// </summary>
internal sealed class ClientUnblock : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (args.Count > 4)
        {
            SubcommandErrors.WriteSyntaxError(session);
            return;
        }

        var withError = false;
        if (args.Count == 4)
        {
            if (args.Is(3, "error"u8))
            {
                withError = true;
            }
            else if (!args.Is(3, "timeout"u8))
            {
                reply.WriteError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"u8);
                return;
            }
        }

        if (!RedisNumbers.TryParseInt64(args[2], out var id))
        {
            reply.WriteError(Errors.NotInteger);
            return;
        }

        reply.WriteInteger(session.Server.Clients.Find(id) is { } client && client.Unblock(withError) ? 1 : 0);
    }
}
