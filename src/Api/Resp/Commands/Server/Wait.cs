using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>
/// WAIT numreplicas timeout: how many replicas acknowledged the connection's writes. This server
/// has no replicas, so the answer is 0, as Redis's with none connected: at once when no replica is
/// asked for (or inside EXEC, where nothing blocks), else once the timeout in milliseconds has
/// passed (0: never). Meanwhile the client is blocked as a blocked XREAD is (INFO's
/// blocked_clients; CLIENT KILL, CLIENT UNBLOCK and a hang-up end the wait).
/// </summary>
internal sealed class Wait : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (!RedisNumbers.TryParseInt64(args[1], out var replicas))
        {
            reply.WriteError(Errors.NotInteger);
            return;
        }

        if (!RedisNumbers.TryParseInt64(args[2], out var timeout))
        {
            reply.WriteError(Errors.TimeoutNotInteger);
            return;
        }

        if (timeout < 0)
        {
            reply.WriteError(Errors.TimeoutNegative);
            return;
        }

        // Registered with no stream, the waiter ends only by the timeout, a kill, a hang-up or
        // CLIENT UNBLOCK.
        if (replicas > 0 && session.CanBlock
            && (await session.WaitAsync(new StreamWaiter(), timeout).ConfigureAwait(false)).Error == StreamError.UnblockedByClient)
        {
            reply.WriteError(Errors.UnblockedByClient);
            return;
        }

        reply.WriteInteger(0);
    }
}
