using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Keyspace;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>FLUSHDB [ASYNC|SYNC] (the selected database) and FLUSHALL [ASYNC|SYNC] (every database).</summary>
internal sealed class Flush(bool all) : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        if (args.Count > 2 || (args.Count == 2 && !args.Is(1, "async"u8) && !args.Is(1, "sync"u8)))
        {
            session.Reply.WriteError(Errors.Syntax);
            return;
        }

        if (all)
        {
            for (var database = 0; database < session.Server.Config.Databases; database++)
            {
                await session.Server.Grains.GetGrain<IKeyspaceGrain>(StreamKeys.Database(database)).FlushAsync().ConfigureAwait(false);
            }
        }
        else
        {
            await session.Keyspace.FlushAsync().ConfigureAwait(false);
        }

        session.Reply.WriteOk();
    }
}
