using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>
/// MONITOR: the client is shown every command the server runs from then on, until RESET or it
/// leaves. Asked again, it answers nothing, as Redis's.
/// </summary>
internal sealed class MonitorCommand : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        // Redis refuses it where a reply per command is expected: inside EXEC.
        if (!session.CanBlock)
        {
            session.Reply.WriteError("ERR MONITOR isn't allowed for DENY BLOCKING client"u8);
            return;
        }

        session.StartMonitoring();
    }
}
