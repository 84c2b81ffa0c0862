using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>COMMAND COUNT: the number of top-level commands.</summary>
internal sealed class CommandCount : SyncRespCommand
{
    protected override void Execute(RespSession session) => session.Reply.WriteInteger(session.Server.Commands.All.Count);
}
