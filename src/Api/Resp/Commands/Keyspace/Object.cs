using Platform.Api.Resp.Connections;
using Platform.Grains;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>OBJECT ENCODING key: "stream" (the only type here), or null without the key.</summary>
internal sealed class ObjectEncoding : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).ExistsAsync(), static (session, exists) =>
        {
            if (exists)
            {
                session.Reply.WriteBulk("stream"u8);
            }
            else
            {
                session.Reply.WriteNullBulk();
            }
        });
}

/// <summary>OBJECT REFCOUNT key: 1, as Redis's for a stream (values are never shared), or null.</summary>
internal sealed class ObjectRefCount : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).ExistsAsync(), static (session, exists) =>
        {
            if (exists)
            {
                session.Reply.WriteInteger(1);
            }
            else
            {
                session.Reply.WriteNullBulk();
            }
        });
}

/// <summary>
/// OBJECT FREQ key: Redis's error, as under its default policy: access frequency is kept only
/// under an LFU maxmemory policy, which this server (no maxmemory) never has. Null without the key.
/// </summary>
internal sealed class ObjectFreq : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).ExistsAsync(), static (session, exists) =>
        {
            if (exists)
            {
                session.Reply.WriteError(
                    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."u8);
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
