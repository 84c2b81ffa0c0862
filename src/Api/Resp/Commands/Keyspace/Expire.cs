using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Keyspace;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>How an EXPIRE-family command gives its time.</summary>
internal enum ExpireUnit
{
    /// <summary>EXPIRE: seconds from now.</summary>
    RelativeSeconds,

    /// <summary>PEXPIRE: milliseconds from now.</summary>
    RelativeMilliseconds,

    /// <summary>EXPIREAT: a Unix time in seconds.</summary>
    AbsoluteSeconds,

    /// <summary>PEXPIREAT: a Unix time in milliseconds.</summary>
    AbsoluteMilliseconds,
}

/// <summary>
/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key time [NX|XX|GT|LT]: 1 if the expiry was set (a time
/// already past deletes the key), 0 if the key is missing or the condition fails.
/// </summary>
internal sealed class Expire(ExpireUnit unit) : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var condition = ExpireCondition.None;
        for (var i = 3; i < args.Count; i++)
        {
            if (args.Is(i, "nx"u8))
            {
                condition |= ExpireCondition.IfNone;
            }
            else if (args.Is(i, "xx"u8))
            {
                condition |= ExpireCondition.IfSome;
            }
            else if (args.Is(i, "gt"u8))
            {
                condition |= ExpireCondition.IfGreater;
            }
            else if (args.Is(i, "lt"u8))
            {
                condition |= ExpireCondition.IfLess;
            }
            else
            {
                reply.WriteFormattedError([.. "ERR Unsupported option "u8, .. args[i]]);
                return ValueTask.CompletedTask;
            }
        }

        if (condition.HasFlag(ExpireCondition.IfNone) && condition != ExpireCondition.IfNone)
        {
            reply.WriteError("ERR NX and XX, GT or LT options at the same time are not compatible"u8);
            return ValueTask.CompletedTask;
        }

        if (condition.HasFlag(ExpireCondition.IfGreater) && condition.HasFlag(ExpireCondition.IfLess))
        {
            reply.WriteError("ERR GT and LT options at the same time are not compatible"u8);
            return ValueTask.CompletedTask;
        }

        if (!RedisNumbers.TryParseInt64(args[2], out var when))
        {
            reply.WriteError(Errors.NotInteger);
            return ValueTask.CompletedTask;
        }

        var seconds = unit is ExpireUnit.RelativeSeconds or ExpireUnit.AbsoluteSeconds;
        var baseTime = unit is ExpireUnit.RelativeSeconds or ExpireUnit.RelativeMilliseconds
            ? session.Server.Time.GetUtcNow().ToUnixTimeMilliseconds()
            : 0;
        if ((seconds && (when > long.MaxValue / 1000 || when < long.MinValue / 1000))
            || (seconds ? when * 1000 : when) > long.MaxValue - baseTime)
        {
            reply.WriteFormattedError(Encoding.UTF8.GetBytes($"ERR invalid expire time in '{session.LastCommand!.FullName}' command"));
            return ValueTask.CompletedTask;
        }

        var atMs = (seconds ? when * 1000 : when) + baseTime;
        return Reply(session, session.Stream(1).ExpireAsync(atMs, condition), static (session, result) => session.Reply.WriteInteger(result));
    }
}

/// <summary>TTL, PTTL, EXPIRETIME, PEXPIRETIME key: -2 without the key, -1 without an expiry.</summary>
internal sealed class Ttl(bool milliseconds, bool absolute) : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var expiry = await session.Stream(1).ExpiryAsync().ConfigureAwait(false);
        if (expiry < 0)
        {
            session.Reply.WriteInteger(expiry);
            return;
        }

        var value = absolute ? expiry : Math.Max(0, expiry - session.Server.Time.GetUtcNow().ToUnixTimeMilliseconds());
        session.Reply.WriteInteger(milliseconds ? value : RoundToSeconds(value));
    }

    // Redis's (ms + 500) / 1000, which it answers as if nothing overflowed: an expiry at the last
    // millisecond a long holds (PEXPIREAT k 9223372036854775807) has EXPIRETIME 9223372036854776.
    private static long RoundToSeconds(long milliseconds)
    {
        var (seconds, rest) = Math.DivRem(milliseconds, 1000);
        return rest >= 500 ? seconds + 1 : seconds;
    }
}

/// <summary>PERSIST key: 1 if an expiry was removed.</summary>
internal sealed class Persist : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(1).PersistAsync(), static (session, removed) => session.Reply.WriteInteger(removed ? 1 : 0));
}
