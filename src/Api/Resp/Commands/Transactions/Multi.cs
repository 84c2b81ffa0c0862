using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Transactions;

/// <summary>MULTI: commands are queued until EXEC.</summary>
internal sealed class Multi : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (session.BeginTransaction())
        {
            session.Reply.WriteOk();
        }
        else
        {
            session.Reply.WriteError("ERR MULTI calls can not be nested"u8);
        }
    }
}

/// <summary>EXEC: runs the queued commands; EXECABORT after a queueing error, null when a watched key changed.</summary>
internal sealed class Exec : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) => session.ExecuteTransactionAsync();
}

/// <summary>DISCARD: drops the queued commands and the watched keys.</summary>
internal sealed class Discard : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        if (session.DiscardTransaction())
        {
            session.Reply.WriteOk();
        }
        else
        {
            session.Reply.WriteError("ERR DISCARD without MULTI"u8);
        }
    }
}

/// <summary>WATCH key [key ...]: EXEC will fail if any of them changes first.</summary>
internal sealed class Watch : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        if (session.InTransaction)
        {
            session.Reply.WriteError("ERR WATCH inside MULTI is not allowed"u8);
            return;
        }

        for (var i = 1; i < session.Args.Count; i++)
        {
            await session.WatchAsync(i).ConfigureAwait(false);
        }

        session.Reply.WriteOk();
    }
}

/// <summary>UNWATCH.</summary>
internal sealed class Unwatch : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        session.Unwatch();
        session.Reply.WriteOk();
    }
}
