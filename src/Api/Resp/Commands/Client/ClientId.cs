using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT ID.</summary>
internal sealed class ClientId : SyncRespCommand
{
    protected override void Execute(RespSession session) => session.Reply.WriteInteger(session.Id);
}
