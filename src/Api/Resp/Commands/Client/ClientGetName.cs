using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT GETNAME: the name, or null.</summary>
internal sealed class ClientGetName : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (session.Name is { } name)
        {
            session.Reply.WriteBulk(name);
        }
        else
        {
            session.Reply.WriteNullBulk();
        }
    }
}
