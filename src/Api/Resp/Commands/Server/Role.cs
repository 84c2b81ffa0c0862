using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>ROLE: a master with no replicas and replication offset 0, as INFO replication says.</summary>
internal sealed class Role : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var reply = session.Reply;
        reply.WriteArrayHeader(3);
        reply.WriteBulk("master"u8);
        reply.WriteInteger(0);
        reply.WriteArrayHeader(0);
    }
}
