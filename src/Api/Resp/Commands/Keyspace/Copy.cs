using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Keyspace;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>
/// COPY source destination [DB destination-db] [REPLACE]: 1 once the destination holds a copy of
/// the source (its entries, groups, pending entries and expiry), 0 when the source is missing or
/// the destination exists without REPLACE. The copy is independent of the source from then on.
/// </summary>
internal sealed class Copy : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var database = session.Database;
        var replace = false;
        for (var i = 3; i < args.Count; i++)
        {
            if (args.Is(i, "replace"u8))
            {
                replace = true;
            }
            else if (args.Is(i, "db"u8) && i + 1 < args.Count)
            {
                if (!DatabaseIndex.TryParse(session, args[++i], out database))
                {
                    return;
                }
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return;
            }
        }

        if (database == session.Database && args[1].SequenceEqual(args[2]))
        {
            reply.WriteError(Errors.SameObject);
            return;
        }

        if (await session.Stream(1).CopyAsync().ConfigureAwait(false) is not { } dump)
        {
            reply.WriteInteger(0);
            return;
        }

        var destination = session.Stream(database, 2);
        if (!replace && await destination.ExistsAsync().ConfigureAwait(false))
        {
            reply.WriteInteger(0);
            return;
        }

        await destination.PutAsync(dump, KeyArrival.Copied).ConfigureAwait(false);
        reply.WriteInteger(1);
    }
}
