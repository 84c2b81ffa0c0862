using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>
/// SLOWLOG GET [count]: the newest entries (10, or count; -1 all), each as Redis's: id, Unix
/// time, microseconds, arguments, client address, client name.
/// </summary>
internal sealed class SlowLogGet : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (args.Count > 3)
        {
            SubcommandErrors.WriteSyntaxError(session);
            return;
        }

        var count = 10L;
        if (args.Count == 3 && (!RedisNumbers.TryParseInt64(args[2], out count) || count < -1))
        {
            reply.WriteError("ERR count should be greater than or equal to -1"u8);
            return;
        }

        var entries = session.Server.SlowLog.Newest(count == -1 ? long.MaxValue : count);
        reply.WriteArrayHeader(entries.Count);
        foreach (var entry in entries)
        {
            reply.WriteArrayHeader(6);
            reply.WriteInteger(entry.Id);
            reply.WriteInteger(entry.UnixSeconds);
            reply.WriteInteger(entry.DurationMicros);
            reply.WriteArrayHeader(entry.Args.Length);
            foreach (var arg in entry.Args)
            {
                reply.WriteBulk(arg);
            }

            reply.WriteBulk(Encoding.UTF8.GetBytes(entry.Address));
            reply.WriteBulk(Encoding.UTF8.GetBytes(entry.Name));
        }
    }
}

/// <summary>SLOWLOG LEN.</summary>
internal sealed class SlowLogLen : SyncRespCommand
{
    protected override void Execute(RespSession session) => session.Reply.WriteInteger(session.Server.SlowLog.Count);
}

/// <summary>SLOWLOG RESET.</summary>
internal sealed class SlowLogReset : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        session.Server.SlowLog.Reset();
        session.Reply.WriteOk();
    }
}

/// <summary>SLOWLOG HELP.</summary>
internal sealed class SlowLogHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "SLOWLOG", Lines);
}
