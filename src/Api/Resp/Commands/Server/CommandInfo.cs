using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>COMMAND INFO [name ...]: each command's metadata, null for unknown names; all without names.</summary>
internal sealed class CommandInfo : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var table = session.Server.Commands;
        if (args.Count == 2)
        {
            Command.WriteAll(session);
            return;
        }

        session.Reply.WriteArrayHeader(args.Count - 2);
        for (var i = 2; i < args.Count; i++)
        {
            if (table.FindByFullName(args.ToUtf8String(i)) is { } command)
            {
                session.Reply.WriteRaw(command.EncodedInfo(session.Protocol));
            }
            else
            {
                session.Reply.WriteNullBulk();
            }
        }
    }
}
