using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams.Dump;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>
/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]: the key
/// made from a DUMP payload of a stream (this server's or Redis 7.0's), with Redis's checks and
/// errors. Only streams are keys here, so a payload of another type is "Bad data format". FREQ is
/// checked and has no effect: there is no LFU eviction here.
/// </summary>
internal sealed class Restore : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        bool replace = false, absolute = false;
        long idleSeconds = -1, frequency = -1;
        for (var i = 4; i < args.Count; i++)
        {
            var more = args.Count - i - 1;
            if (args.Is(i, "replace"u8))
            {
                replace = true;
            }
            else if (args.Is(i, "absttl"u8))
            {
                absolute = true;
            }
            else if (args.Is(i, "idletime"u8) && more > 0 && frequency == -1)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out idleSeconds))
                {
                    reply.WriteError(Errors.NotInteger);
                    return;
                }

                if (idleSeconds < 0)
                {
                    reply.WriteError("ERR Invalid IDLETIME value, must be >= 0"u8);
                    return;
                }
            }
            else if (args.Is(i, "freq"u8) && more > 0 && idleSeconds == -1)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out frequency))
                {
                    reply.WriteError(Errors.NotInteger);
                    return;
                }

                if (frequency is < 0 or > 255)
                {
                    reply.WriteError("ERR Invalid FREQ value, must be >= 0 and <= 255"u8);
                    return;
                }
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return;
            }
        }

        var key = session.Stream(1);
        if (!replace && await key.ExistsAsync().ConfigureAwait(false))
        {
            reply.WriteError("BUSYKEY Target key name already exists."u8);
            return;
        }

        if (!RedisNumbers.TryParseInt64(args[2], out var ttl))
        {
            reply.WriteError(Errors.NotInteger);
            return;
        }

        if (ttl < 0)
        {
            reply.WriteError("ERR Invalid TTL value, must be >= 0"u8);
            return;
        }

        var payload = args[3];
        if (!RedisDump.IsIntact(payload))
        {
            reply.WriteError("ERR DUMP payload version or checksum are wrong"u8);
            return;
        }

        if (RedisDump.Read(payload) is not { } data)
        {
            reply.WriteError("ERR Bad data format"u8);
            return;
        }

        // As Redis: a relative TTL counts from now, and an expiry already passed leaves no key
        // (one that REPLACE removes is reported deleted).
        var now = session.Server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiresAt = ttl == 0 ? -1 : absolute ? ttl : ttl + now;
        if (ttl != 0 && expiresAt <= now)
        {
            if (replace)
            {
                await key.DeleteAsync().ConfigureAwait(false);
            }

            reply.WriteOk();
            return;
        }

        var name = GrainKeys.FromBytes(args[1]);
        var idleMs = idleSeconds > 0 ? Math.Min(idleSeconds, now / 1000) * 1000 : 0;
        await key.PutAsync(new KeyDump(data, expiresAt, name, session.Database, idleMs), KeyArrival.Restored).ConfigureAwait(false);
        reply.WriteOk();
    }
}
