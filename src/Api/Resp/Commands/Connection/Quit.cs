using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>QUIT: +OK, then the connection closes once the reply is sent.</summary>
internal sealed class Quit : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        session.Reply.WriteOk();
        session.CloseAfterReply();
    }
}
