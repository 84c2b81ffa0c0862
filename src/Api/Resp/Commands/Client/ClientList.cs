using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id ...]: one line per client.</summary>
internal sealed class ClientList : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var clients = session.Server.Clients;
        IEnumerable<RespSession> selected;
        if (args.Count == 4 && args.Is(2, "type"u8))
        {
            if (ClientTypes.Parse(args[3]) is not { } type)
            {
                session.Reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR Unknown client type '{args.ToUtf8String(3)}'"));
                return;
            }

            selected = clients.Snapshot().Where(c => ClientTypes.Of(c) == type);
        }
        else if (args.Count > 3 && args.Is(2, "id"u8))
        {
            var found = new List<RespSession>();
            for (var i = 3; i < args.Count; i++)
            {
                if (!RedisNumbers.TryParseInt64(args[i], out var id))
                {
                    session.Reply.WriteError(Errors.InvalidClientId);
                    return;
                }

                if (clients.Find(id) is { } client)
                {
                    found.Add(client);
                }
            }

            selected = found;
        }
        else if (args.Count != 2)
        {
            session.Reply.WriteError(Errors.Syntax);
            return;
        }
        else
        {
            selected = clients.Snapshot();
        }

        var text = new StringBuilder();
        foreach (var client in selected)
        {
            client.AppendInfo(text);
            text.Append('\n');
        }

        session.Reply.WriteVerbatimText(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
