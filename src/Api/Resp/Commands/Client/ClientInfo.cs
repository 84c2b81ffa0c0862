using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT INFO: this connection's CLIENT LIST line.</summary>
internal sealed class ClientInfo : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var line = new StringBuilder(256);
        session.AppendInfo(line);
        line.Append('\n');
        session.Reply.WriteVerbatimText(Encoding.UTF8.GetBytes(line.ToString()));
    }
}
