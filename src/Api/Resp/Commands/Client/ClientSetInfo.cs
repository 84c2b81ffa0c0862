using Platform.Api.Resp.Commands.Connection;
using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; client libraries send it on connect).</summary>
internal sealed class ClientSetInfo : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var isName = args.Is(2, "lib-name"u8);
        if (!isName && !args.Is(2, "lib-ver"u8))
        {
            session.Reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR Unrecognized option '{args.ToUtf8String(2)}'"));
            return;
        }

        if (!ClientNames.IsValid(args[3]))
        {
            session.Reply.WriteFormattedError(
                Encoding.UTF8.GetBytes($"ERR {args.ToUtf8String(2)} cannot contain spaces, newlines or special characters."));
            return;
        }

        var value = args[3].Length == 0 ? null : args.ToUtf8String(3);
        if (isName)
        {
            session.LibraryName = value;
        }
        else
        {
            session.LibraryVersion = value;
        }

        session.Reply.WriteOk();
    }
}
