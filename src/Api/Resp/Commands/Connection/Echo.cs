using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>ECHO message.</summary>
internal sealed class Echo : SyncRespCommand
{
    protected override void Execute(RespSession session) => session.Reply.WriteBulk(session.Args[1]);
}
