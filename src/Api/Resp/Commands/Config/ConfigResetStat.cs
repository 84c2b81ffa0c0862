using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Config;

/// <summary>CONFIG RESETSTAT: zeroes INFO's statistics and every command's.</summary>
internal sealed class ConfigResetStat : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var server = session.Server;
        server.Stats.Reset();
        foreach (var command in server.Commands.AllWithSubcommands)
        {
            command.Stats.Reset();
        }

        session.Reply.WriteOk();
    }
}
