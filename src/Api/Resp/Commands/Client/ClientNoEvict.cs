using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>
/// CLIENT NO-EVICT ON|OFF: Redis's protection of a client from eviction when its clients' memory
/// passes maxmemory-clients. This server evicts no clients, so both are accepted and change
/// nothing.
/// </summary>
internal sealed class ClientNoEvict : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (session.Args.Is(2, "on"u8) || session.Args.Is(2, "off"u8))
        {
            session.Reply.WriteOk();
        }
        else
        {
            session.Reply.WriteError(Errors.Syntax);
        }
    }
}
