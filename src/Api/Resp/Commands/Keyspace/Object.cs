using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>
/// OBJECT ENCODING, REFCOUNT and FREQ key: what each says of an existing key, or null without it.
/// ENCODING is "stream" (the only type here); REFCOUNT is 1, as Redis's for a stream (values are
/// never shared); FREQ is Redis's error under a policy that is not LFU, which this server (no
/// maxmemory) never has.
/// </summary>
internal sealed class ObjectOfKey(Action<ReplyWriter> existing) : RespCommand
{
    public static ObjectOfKey Encoding { get; } = new(static reply => reply.WriteBulk("stream"u8));

    public static ObjectOfKey RefCount { get; } = new(static reply => reply.WriteInteger(1));

    public static ObjectOfKey Freq { get; } = new(static reply => reply.WriteError(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."u8));

    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).ExistsAsync(), (session, exists) =>
        {
            if (exists)
            {
                existing(session.Reply);
            }
            else
            {
                session.Reply.WriteNullBulk();
            }
        });
}

/// <summary>
/// OBJECT IDLETIME key: whole seconds since a command last used the key (as Redis's, EXISTS, TYPE,
/// TTL, WATCH and OBJECT itself are no use), or null without the key. A grain collected while idle
/// left that time with the keyspace; after a restart, keys count from when they were loaded, as
/// Redis's loaded from a snapshot do.
/// </summary>
internal sealed class ObjectIdleTime : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var usedAt = await session.Stream(2).UsedAtAsync().ConfigureAwait(false);
        if (usedAt == 0)
        {
            usedAt = await session.Keyspace.UsedAtAsync(GrainKeys.FromBytes(session.Args[2])).ConfigureAwait(false);
        }

        if (usedAt < 0)
        {
            session.Reply.WriteNullBulk();
            return;
        }

        var now = session.Server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        session.Reply.WriteInteger(Math.Max(0, now - usedAt) / 1000);
    }
}

/// <summary>OBJECT HELP.</summary>
internal sealed class ObjectHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "OBJECT", Lines);
}
