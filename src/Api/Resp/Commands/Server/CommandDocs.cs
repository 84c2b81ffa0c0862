using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>COMMAND DOCS [name ...]: a map of name to documentation; unknown names are left out.</summary>
internal sealed class CommandDocs : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var table = session.Server.Commands;
        var found = new List<CommandDefinition>();
        if (args.Count == 2)
        {
            found.AddRange(table.All);
        }
        else
        {
            for (var i = 2; i < args.Count; i++)
            {
                if (table.FindByFullName(args.ToUtf8String(i)) is { } command)
                {
                    found.Add(command);
                }
            }
        }

        session.Reply.WriteMapHeader(found.Count);
        foreach (var command in found)
        {
            session.Reply.WriteBulk(command.FullName);
            session.Reply.WriteRaw(command.EncodedDocs(session.Protocol));
        }
    }
}
