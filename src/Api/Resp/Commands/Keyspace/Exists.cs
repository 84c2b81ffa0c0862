using Platform.Api.Resp.Connections;
using Platform.Grains;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>EXISTS key [key ...]: how many of the keys exist, a key counted each time it is named.</summary>
internal sealed class Exists : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var names = new string[args.Count - 1];
        for (var i = 1; i < args.Count; i++)
        {
            names[i - 1] = GrainKeys.FromBytes(args[i]);
        }

        return Reply(session, session.Keyspace.CountExistingAsync(names), static (session, count) => session.Reply.WriteInteger(count));
    }
}

/// <summary>
/// TOUCH key [key ...]: as EXISTS, and each key that exists is marked used (OBJECT IDLETIME). Redis
/// also counts the use for its eviction, which this server does not have (no maxmemory).
/// </summary>
internal sealed class Touch : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var count = 0L;
        for (var i = 1; i < session.Args.Count; i++)
        {
            if (await session.Stream(i).TouchAsync().ConfigureAwait(false))
            {
                count++;
            }
        }

        session.Reply.WriteInteger(count);
    }
}

/// <summary>TYPE key: "stream", or "none".</summary>
internal sealed class TypeCommand : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Keyspace.CountExistingAsync([GrainKeys.FromBytes(session.Args[1])]), static (session, count) =>
            session.Reply.WriteSimpleString(count > 0 ? "stream"u8 : "none"u8));
}

/// <summary>DBSIZE: keys in the selected database.</summary>
internal sealed class DbSize : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Keyspace.SizeAsync(), static (session, size) => session.Reply.WriteInteger(size));
}

/// <summary>RANDOMKEY: a random key, or null.</summary>
internal sealed class RandomKey : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Keyspace.RandomKeyAsync(), static (session, key) =>
        {
            if (key is null)
            {
                session.Reply.WriteNullBulk();
            }
            else
            {
                session.Reply.WriteBulk(GrainKeys.ToBytes(key));
            }
        });
}

/// <summary>KEYS pattern.</summary>
internal sealed class Keys : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Keyspace.KeysAsync(GrainKeys.FromBytes(session.Args[1])), static (session, keys) =>
        {
            session.Reply.WriteArrayHeader(keys.Length);
            foreach (var key in keys)
            {
                session.Reply.WriteBulk(GrainKeys.ToBytes(key));
            }
        });
}
