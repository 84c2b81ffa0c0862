using Platform.Api.Server;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Connections;

/// <summary>Waiting in a blocking command: until the waiter completes, the timeout, or the client goes.</summary>
internal sealed partial class RespSession
{
    private CancellationTokenSource? _leaving;

    /// <summary>
    /// Waits for <paramref name="waiter"/> at most <paramref name="timeoutMs"/> (0: forever). A
    /// timeout, or the connection closing, ends it as a timeout, unless an outcome won the race.
    /// </summary>
    public async Task<WaitOutcome> WaitAsync(StreamWaiter waiter, long timeoutMs)
    {
        var outcome = waiter.Outcome;
        if (outcome.IsCompleted)
        {
            return await outcome.ConfigureAwait(false);
        }

        // Replies to the commands before this one go out now, as Redis sends them while a client
        // is blocked. Nothing else writes replies meanwhile: this runs in the command's own flow.
        await FlushRepliesAsync().ConfigureAwait(false);
        _leaving ??= new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_leaving.Token, _connection.ConnectionClosed);
        _blocked = true;
        try
        {
            var timeout = BlockTimeout.FromMilliseconds(timeoutMs);
            var expired = Task.Delay(timeout, _server.Time, stop.Token);
            if (await Task.WhenAny(outcome, expired).ConfigureAwait(false) != outcome && waiter.TryClaim())
            {
                return new WaitOutcome(null, null, StreamError.None);
            }

            return await outcome.ConfigureAwait(false);
        }
        finally
        {
            _blocked = false;
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
