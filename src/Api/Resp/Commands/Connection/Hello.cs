using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Api.Server;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>
/// HELLO [protover [AUTH username password] [SETNAME clientname]]: switches the protocol,
/// optionally authenticating and naming the client, and describes the server.
/// </summary>
internal sealed class Hello : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var version = 0L;
        if (args.Count >= 2)
        {
            if (!RedisNumbers.TryParseInt64(args[1], out version))
            {
                reply.WriteError(Errors.ProtocolVersionNotInteger);
                return;
            }

            if (version is < 2 or > 3)
            {
                reply.WriteError(Errors.NoProto);
                return;
            }
        }

        // Options take effect in order, as Redis's: an AUTH authenticates (and its arguments are
        // redacted), and a SETNAME names the client, before a later option fails; a failing AUTH
        // ends the command.
        for (var i = 2; i < args.Count; i++)
        {
            var more = args.Count - 1 - i;
            if (args.Is(i, "AUTH"u8) && more >= 2)
            {
                session.Redact(i + 1);
                session.Redact(i + 2);
                if (!Credentials.Check(session.Server.Config, args[i + 1], args[i + 2]))
                {
                    session.Server.Stats.AuthDenied();
                    reply.WriteError(Errors.WrongPass);
                    return;
                }

                session.Authenticated = true;
                i += 2;
            }
            else if (args.Is(i, "SETNAME"u8) && more >= 1)
            {
                if (!ClientNames.IsValid(args[i + 1]))
                {
                    reply.WriteError(Errors.InvalidClientName);
                    return;
                }

                session.Name = args[i + 1].Length == 0 ? null : args.ToUtf8String(i + 1);
                i++;
            }
            else
            {
                var text = Encoding.UTF8.GetBytes("ERR Syntax error in HELLO option '");
                reply.WriteFormattedError([.. text, .. CString(args[i]), (byte)'\'']);
                return;
            }
        }

        if (!session.Authenticated)
        {
            reply.WriteError(Errors.HelloNoAuth);
            return;
        }

        if (version != 0)
        {
            session.Protocol = (int)version;
        }

        reply.WriteMapHeader(7);
        reply.WriteBulk("server"u8);
        reply.WriteBulk("redis"u8);
        reply.WriteBulk("version"u8);
        reply.WriteBulk(ServerInfo.RedisVersion);
        reply.WriteBulk("proto"u8);
        reply.WriteInteger(session.Protocol);
        reply.WriteBulk("id"u8);
        reply.WriteInteger(session.Id);
        reply.WriteBulk("mode"u8);
        reply.WriteBulk("standalone"u8);
        reply.WriteBulk("role"u8);
        reply.WriteBulk("master"u8);
        reply.WriteBulk("modules"u8);
        reply.WriteArrayHeader(0);
    }

    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> value)
    {
        var nul = value.IndexOf((byte)0);
        return nul >= 0 ? value[..nul] : value;
    }
}
