using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>SELECT index: switches the connection's database.</summary>
internal sealed class Select : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (DatabaseIndex.TryParse(session, session.Args[1], out var database))
        {
            session.Database = database;
            session.Reply.WriteOk();
        }
    }
}
