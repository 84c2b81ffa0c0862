using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>
/// CLIENT NO-EVICT ON|OFF: Redis's protection of a client from eviction when its clients' memory
/// passes maxmemory-clients. This server evicts no clients: the setting only shows in CLIENT
/// LIST's and CLIENT INFO's flags (e), as Redis's does.
/// </summary>
internal sealed class ClientNoEvict : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var on = session.Args.Is(2, "on"u8);
        if (on || session.Args.Is(2, "off"u8))
        {
            session.NoEvict = on;
            session.Reply.WriteOk();
        }
        else
        {
            session.Reply.WriteError(Errors.Syntax);
        }
    }
}
