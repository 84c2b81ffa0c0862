using Platform.Api.Resp.Connections;
using Platform.Grains.Keyspace;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>
/// RENAME key newkey (OK) and RENAMENX key newkey (1, or 0 when newkey exists): the source's
/// value and expiry move to the destination, which is replaced. The two keys are separate grains,
/// so the move is not atomic for other clients (see the README on isolation), but it is for the
/// store: both changes are committed together.
/// </summary>
internal sealed class Rename(bool onlyIfNew) : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var source = session.Stream(1);
        if (!await source.ExistsAsync().ConfigureAwait(false))
        {
            reply.WriteError("ERR no such key"u8);
            return;
        }

        if (args[1].SequenceEqual(args[2]))
        {
            Done(reply, onlyIfNew, renamed: false);
            return;
        }

        // Asking activates the destination before the hold below: an activation may wait for the
        // store, which a hold keeps waiting.
        var destination = session.Stream(2);
        if (await destination.ExistsAsync().ConfigureAwait(false) && onlyIfNew)
        {
            reply.WriteInteger(0);
            return;
        }

        // Taken from one grain and put in another: both changes go to the store in one commit, so a
        // crash between them cannot lose the key.
        using (session.Server.Persistence.Journal.Hold())
        {
            if (await source.TakeAsync().ConfigureAwait(false) is not { } dump)
            {
                reply.WriteError("ERR no such key"u8);
                return;
            }

            await destination.PutAsync(dump, KeyArrival.Renamed).ConfigureAwait(false);
        }

        Done(reply, onlyIfNew, renamed: true);
    }

    private static void Done(Protocol.ReplyWriter reply, bool onlyIfNew, bool renamed)
    {
        if (onlyIfNew)
        {
            reply.WriteInteger(renamed ? 1 : 0);
        }
        else
        {
            reply.WriteOk();
        }
    }
}
