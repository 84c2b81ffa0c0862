using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Matching;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: command names, subcommands included.</summary>
internal sealed class CommandList : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var names = session.Server.Commands.AllWithSubcommands;
        if (args.Count == 5 && args.Is(2, "filterby"u8))
        {
            var value = args.ToUtf8String(4);
            if (args.Is(3, "module"u8))
            {
                names = [];
            }
            else if (args.Is(3, "aclcat"u8))
            {
                names = names.Where(c => c.AclCategories.Contains("@" + value, StringComparer.OrdinalIgnoreCase));
            }
            else if (args.Is(3, "pattern"u8))
            {
                var pattern = args[4].ToArray();
                names = names.Where(c => GlobPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(c.FullName), ignoreCase: true));
            }
            else
            {
                session.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        else if (args.Count != 2)
        {
            session.Reply.WriteError(Errors.Syntax);
            return;
        }

        var list = names.ToList();
        session.Reply.WriteArrayHeader(list.Count);
        foreach (var command in list)
        {
            session.Reply.WriteBulk(command.FullName);
        }
    }
}
