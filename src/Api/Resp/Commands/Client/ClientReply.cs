using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT REPLY ON|OFF|SKIP: OFF and SKIP are not answered, ON is.</summary>
internal sealed class ClientReply : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        if (args.Is(2, "on"u8))
        {
            session.ReplyOn();
            session.Reply.WriteOk();
        }
        else if (args.Is(2, "off"u8))
        {
            session.ReplyOff();
        }
        else if (args.Is(2, "skip"u8))
        {
            session.SkipNextReply();
        }
        else
        {
            session.Reply.WriteError(Errors.Syntax);
        }
    }
}
