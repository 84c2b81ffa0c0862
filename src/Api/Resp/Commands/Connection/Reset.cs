using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>RESET: the connection returns to the state of a new one (database 0, RESP2, no name...).</summary>
internal sealed class Reset : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        session.ResetState();
        session.Reply.WriteSimpleString("RESET"u8);
    }
}
