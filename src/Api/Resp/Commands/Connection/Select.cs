using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>SELECT index: switches the connection's database.</summary>
internal sealed class Select : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (!RedisNumbers.TryParseInt32(session.Args[1], out var index))
        {
            session.Reply.WriteError(Errors.NotInteger);
        }
        else if (index < 0 || index >= session.Server.Config.Databases)
        {
            session.Reply.WriteError(Errors.DbIndexOutOfRange);
        }
        else
        {
            session.Database = index;
            session.Reply.WriteOk();
        }
    }
}
