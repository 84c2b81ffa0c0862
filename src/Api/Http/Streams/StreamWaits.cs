using Platform.Grains.Streams;

namespace Platform.Api.Http.Streams;

/// <summary>
/// A blocked read as the RESP port's XREAD and XREADGROUP block: a <see cref="StreamWaiter"/>
/// registered with the stream's grain (no grain turn waits), completed by the first XADD that
/// brings something for it, or claimed back on timeout or when the client goes away.
/// </summary>
internal static class StreamWaits
{
    /// <summary>
    /// Waits on <paramref name="stream"/> at most <paramref name="timeout"/> (infinite allowed).
    /// A timeout or a cancellation ends it as a timeout (an outcome without a stream), unless an
    /// outcome won the race.
    /// </summary>
    public static async Task<WaitOutcome> WaitAsync(
        IStreamGrain stream, WaitRequest request, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var waiter = new StreamWaiter();
        await stream.BlockAsync(waiter, request).ConfigureAwait(false);
        try
        {
            var outcome = waiter.Outcome;
            if (!outcome.IsCompleted)
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var expired = Task.Delay(timeout, time, stop.Token);
                var first = await Task.WhenAny(outcome, expired).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
                if (first != outcome && waiter.TryClaim())
                {
                    return new WaitOutcome(null, null, StreamError.None);
                }
            }

            return await outcome.ConfigureAwait(false);
        }
        finally
        {
            // Served, expired or abandoned, the waiter leaves the grain before the answer goes.
            await stream.UnblockAsync(waiter).ConfigureAwait(false);
        }
    }
}
