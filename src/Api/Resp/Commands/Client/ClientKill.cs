using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Client;

/// <summary>
/// CLIENT KILL ip:port (old form: +OK, or an error when no client has that address) or
/// CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no]
/// (new form: the number killed; SKIPME defaults to yes). Killing oneself closes after the reply.
/// </summary>
internal sealed class ClientKill : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        string? address = null, localAddress = null;
        long? id = null;
        ClientType? type = null;
        var skipMe = true;

        var oldForm = args.Count == 3;
        if (oldForm)
        {
            address = args.ToUtf8String(2);
            skipMe = false;
        }
        else
        {
            for (var i = 2; i < args.Count; i += 2)
            {
                if (args.Count - i < 2)
                {
                    reply.WriteError(Errors.Syntax);
                    return;
                }

                if (args.Is(i, "id"u8))
                {
                    if (!RedisNumbers.TryParseInt64(args[i + 1], out var value) || value < 1)
                    {
                        reply.WriteError(Errors.ClientIdNotPositive);
                        return;
                    }

                    id = value;
                }
                else if (args.Is(i, "type"u8))
                {
                    type = ClientTypes.Parse(args[i + 1]);
                    if (type is null)
                    {
                        reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR Unknown client type '{args.ToUtf8String(i + 1)}'"));
                        return;
                    }
                }
                else if (args.Is(i, "addr"u8))
                {
                    address = args.ToUtf8String(i + 1);
                }
                else if (args.Is(i, "laddr"u8))
                {
                    localAddress = args.ToUtf8String(i + 1);
                }
                else if (args.Is(i, "user"u8))
                {
                    if (!args[i + 1].SequenceEqual("default"u8))
                    {
                        reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR No such user '{args.ToUtf8String(i + 1)}'"));
                        return;
                    }
                }
                else if (args.Is(i, "skipme"u8))
                {
                    if (args.Is(i + 1, "yes"u8))
                    {
                        skipMe = true;
                    }
                    else if (args.Is(i + 1, "no"u8))
                    {
                        skipMe = false;
                    }
                    else
                    {
                        reply.WriteError(Errors.Syntax);
                        return;
                    }
                }
                else
                {
                    reply.WriteError(Errors.Syntax);
                    return;
                }
            }
        }

        var killed = 0;
        foreach (var client in session.Server.Clients.Snapshot())
        {
            if ((address is not null && client.Address != address)
                || (localAddress is not null && client.LocalAddress != localAddress)
                || (type is not null && ClientTypes.Of(client) != type)
                || (id is not null && client.Id != id)
                || (client == session && skipMe))
            {
                continue;
            }

            killed++;
            if (client == session)
            {
                session.CloseAfterReply();
            }
            else
            {
                client.Kill();
            }
        }

        if (!oldForm)
        {
            reply.WriteInteger(killed);
        }
        else if (killed == 0)
        {
            reply.WriteError(Errors.NoSuchClient);
        }
        else
        {
            reply.WriteOk();
        }
    }
}
