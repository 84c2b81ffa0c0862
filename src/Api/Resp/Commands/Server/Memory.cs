using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>
/// MEMORY USAGE key [SAMPLES count]: about how many bytes the key and its value hold in this
/// server's own layout (so not Redis's figure for the same stream), or null without the key. The
/// estimate looks at every block and group, so SAMPLES is checked as Redis checks it and not used.
/// </summary>
internal sealed class MemoryUsage : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        for (var i = 3; i < args.Count; i++)
        {
            if (!args.Is(i, "samples"u8) || i + 1 == args.Count)
            {
                session.Reply.WriteError(Errors.Syntax);
                return ValueTask.CompletedTask;
            }

            if (!RedisNumbers.TryParseInt64(args[++i], out var samples))
            {
                session.Reply.WriteError(Errors.NotInteger);
                return ValueTask.CompletedTask;
            }

            if (samples < 0)
            {
                session.Reply.WriteError(Errors.Syntax);
                return ValueTask.CompletedTask;
            }
        }

        return Reply(session, session.Stream(2).MemoryUsageAsync(), static (session, bytes) =>
        {
            if (bytes < 0)
            {
                session.Reply.WriteNullBulk();
            }
            else
            {
                session.Reply.WriteInteger(bytes);
            }
        });
    }
}

/// <summary>MEMORY HELP: the subcommands this server has.</summary>
internal sealed class MemoryHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "MEMORY", Lines);
}
