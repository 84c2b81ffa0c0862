using System.Net.Sockets;
using Platform.Api.Server;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Connections;

/// <summary>Waiting in a blocking command: until the waiter completes, the timeout, or the client goes.</summary>
internal sealed partial class RespSession
{
    // Where a hang-up probe peeks; what it writes there is never read.
    private static readonly byte[] PeekByte = new byte[1];

    private CancellationTokenSource? _leaving;
    private int _probing;

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
        _ = WatchForHangUpAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_leaving.Token);
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

    // The command loop does not read while a command blocks, so a client that hangs up meanwhile
    // is noticed by a read that peeks: the end of the stream ends the wait, as Redis frees a
    // blocked client that disconnects. Bytes sent meanwhile end the probe and stay for the loop.
    private async Task WatchForHangUpAsync()
    {
        if (Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        try
        {
            if (await _socket.ReceiveAsync(PeekByte, SocketFlags.Peek).ConfigureAwait(false) == 0)
            {
                _leaving?.Cancel();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _leaving?.Cancel();
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }
}
