using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>COMMAND: the COMMAND INFO entries of every command.</summary>
internal sealed class Command : SyncRespCommand
{
    protected override void Execute(RespSession session) => WriteAll(session);

    /// <summary>Writes the COMMAND INFO entries of every top-level command.</summary>
    public static void WriteAll(RespSession session)
    {
        var all = session.Server.Commands.All;
        session.Reply.WriteArrayHeader(all.Count);
        foreach (var command in all)
        {
            session.Reply.WriteRaw(command.EncodedInfo(session.Protocol));
        }
    }
}
