using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Keyspace;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>
/// MOVE key db: 1 once the key (value and expiry) is in database db and gone from the selected
/// one, 0 when it is missing here or exists there. As RENAME, the two keys are separate grains,
/// so other clients may see the key in neither database for an instant, and both changes are
/// committed to the store together.
/// </summary>
internal sealed class Move : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var reply = session.Reply;
        if (!DatabaseIndex.TryParse(session, session.Args[2], out var database))
        {
            return;
        }

        if (database == session.Database)
        {
            reply.WriteError(Errors.SameObject);
            return;
        }

        var source = session.Stream(1);
        if (!await source.ExistsAsync().ConfigureAwait(false))
        {
            reply.WriteInteger(0);
            return;
        }

        // Asked before the hold below, which an activation of the destination would wait for.
        var destination = session.Stream(database, 1);
        if (await destination.ExistsAsync().ConfigureAwait(false))
        {
            reply.WriteInteger(0);
            return;
        }

        using (session.Server.Persistence.Journal.Hold())
        {
            if (await source.TakeAsync().ConfigureAwait(false) is not { } dump)
            {
                reply.WriteInteger(0);
                return;
            }

            await destination.PutAsync(dump, KeyArrival.Moved).ConfigureAwait(false);
        }

        reply.WriteInteger(1);
    }
}
