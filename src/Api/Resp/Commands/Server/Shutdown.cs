using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>
/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: stops the server, as SIGTERM does; the client is
/// closed without a reply, as Redis's process exits. SAVE first snapshots every key (a failed save
/// cancels the shutdown unless FORCE). Without SAVE nothing more is saved: under appendfsync always
/// and everysec the journal holds every change, and under no, what was not saved is lost, as in a
/// Redis without save points. There are no replicas to wait for (NOW), and a shutdown is never
/// pending, so ABORT has none to abort. Inside MULTI it is refused as queued (no_multi).
/// </summary>
internal sealed class Shutdown : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        bool save = false, noSave = false, now = false, force = false, abort = false;
        for (var i = 1; i < args.Count; i++)
        {
            if (args.Is(i, "nosave"u8))
            {
                noSave = true;
            }
            else if (args.Is(i, "save"u8))
            {
                save = true;
            }
            else if (args.Is(i, "now"u8))
            {
                now = true;
            }
            else if (args.Is(i, "force"u8))
            {
                force = true;
            }
            else if (args.Is(i, "abort"u8))
            {
                abort = true;
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return;
            }
        }

        if ((abort && (save || noSave || now || force)) || (save && noSave))
        {
            reply.WriteError(Errors.Syntax);
            return;
        }

        if (abort)
        {
            reply.WriteError("ERR No shutdown in progress."u8);
            return;
        }

        // A save under way (BGSAVE) may have missed the latest changes: as Redis kills its child and
        // saves anew, this save starts once that one has ended.
        if (save && !await session.Server.Persistence.SaveAfterRunningAsync().ConfigureAwait(false) && !force)
        {
            reply.WriteError("ERR Errors trying to SHUTDOWN. Check logs."u8);
            return;
        }

        session.CloseAfterReply();
        session.Server.Shutdown();
    }
}
