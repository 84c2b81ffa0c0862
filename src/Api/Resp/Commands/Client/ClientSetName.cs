using Platform.Api.Resp.Commands.Connection;
using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT SETNAME name: an empty name removes it.</summary>
internal sealed class ClientSetName : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var name = session.Args[2];
        if (!ClientNames.IsValid(name))
        {
            session.Reply.WriteError(Errors.InvalidClientName);
            return;
        }

        session.Name = name.Length == 0 ? null : session.Args.ToUtf8String(2);
        session.Reply.WriteOk();
    }
}
