using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>SAVE: every key's snapshot to the store, replying once it is committed.</summary>
internal sealed class Save : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var save = session.Server.Persistence.TryStartSave();
        if (save is null)
        {
            session.Reply.WriteError("ERR Background save already in progress"u8);
            return;
        }

        if (await save.ConfigureAwait(false))
        {
            session.Reply.WriteOk();
        }
        else
        {
            session.Reply.WriteError("ERR"u8);
        }
    }
}

/// <summary>BGSAVE [SCHEDULE]: a save that runs while the server goes on.</summary>
internal sealed class BackgroundSave : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var schedule = args.Count == 2 && args.Is(1, "schedule"u8);
        if (args.Count > 1 && !schedule)
        {
            session.Reply.WriteError(Errors.Syntax);
            return;
        }

        var persistence = session.Server.Persistence;
        if (persistence.TryStartSave() is not null)
        {
            session.Reply.WriteSimpleString("Background saving started"u8);
        }
        else if (schedule)
        {
            _ = persistence.SaveAfterRunningAsync();
            session.Reply.WriteSimpleString("Background saving scheduled"u8);
        }
        else
        {
            session.Reply.WriteError("ERR Background save already in progress"u8);
        }
    }
}

/// <summary>LASTSAVE: when the last save succeeded (Unix seconds).</summary>
internal sealed class LastSave : SyncRespCommand
{
    protected override void Execute(RespSession session) =>
        session.Reply.WriteInteger(session.Server.Persistence.LastSaveTime.ToUnixTimeSeconds());
}
