using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>SELECT index: switches the connection's database.</summary>
internal sealed class Select : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (!RedisNumbers.TryParseInt64(session.Args[1], out var wide))
        {
            session.Reply.WriteError(Errors.NotInteger);
        }
        else if (wide is < int.MinValue or > int.MaxValue)
        {
            session.Reply.WriteError(Errors.NotInt32);
        }
        else if (wide < 0 || wide >= session.Server.Config.Databases)
        {
            session.Reply.WriteError(Errors.DbIndexOutOfRange);
        }
        else
        {
            session.Database = (int)wide;
            session.Reply.WriteOk();
        }
    }
}
