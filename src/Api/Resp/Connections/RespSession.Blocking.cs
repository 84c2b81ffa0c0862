using System.Diagnostics;
using System.Net.Sockets;
using Platform.Api.Server;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Connections;

/// <summary>Waiting in a blocking command: until the waiter completes, the timeout, or the client goes.</summary>
internal sealed partial class RespSession
{
    // Where a hang-up probe peeks; what it writes there is never read.
    private static readonly byte[] PeekByte = new byte[1];

    // A timer ends the wait as the client leaving does, unless an outcome came first.
    private static readonly TimerCallback TimedOut = static waiter => Expire((StreamWaiter)waiter!);

    // The waiter of the blocking command under way, while it waits; and what ends it (made once).
    private StreamWaiter? _waiting;
    private Action? _endWait;
    private int _probing;

    /// <summary>
    /// Waits for <paramref name="waiter"/> at most <paramref name="timeoutMs"/> (0: forever). A
    /// timeout, or the connection closing, ends it as a timeout, unless an outcome won the race.
    /// The command goes on on the readiness loop's thread, where the session runs (where the loop
    /// watches it).
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
        ShowBlockingToMonitors();
        var waitStarted = Stopwatch.GetTimestamp();
        _blocked = true;
        var timeout = BlockTimeout.FromMilliseconds(timeoutMs);
        using var timer = timeout == Timeout.InfiniteTimeSpan ? null : _server.Time.CreateTimer(TimedOut, waiter, timeout, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _waiting, waiter);
        try
        {
            // A kill that came before the wait was noted ends it here.
            if (Volatile.Read(ref _killed) != 0)
            {
                Expire(waiter);
            }

            if (_readiness is { } readiness)
            {
                readiness.WatchHangUp(_endWait ??= EndWait);
                return await ReadinessLoop.OnLoop(outcome);
            }

            _ = WatchForHangUpAsync();
            return await outcome.ConfigureAwait(false);
        }
        finally
        {
            _readiness?.Unwatch();
            Volatile.Write(ref _waiting, null);
            _blocked = false;
            _waitedTicks += Stopwatch.GetTimestamp() - waitStarted;
        }
    }

    /// <summary>
    /// CLIENT UNBLOCK: ends the wait under way, as its timeout would or with Redis's UNBLOCKED
    /// error; false if the client is not blocked (or was served meanwhile).
    /// </summary>
    public bool Unblock(bool withError)
    {
        if (Volatile.Read(ref _waiting) is not { } waiter || !waiter.TryClaim())
        {
            return false;
        }

        waiter.Complete(new WaitOutcome(null, null, withError ? StreamError.UnblockedByClient : StreamError.None));
        return true;
    }

    // Ends the wait under way, if any, as a timeout: the client left or was killed.
    private void EndWait()
    {
        if (Volatile.Read(ref _waiting) is { } waiter)
        {
            Expire(waiter);
        }
    }

    private static void Expire(StreamWaiter waiter)
    {
        if (waiter.TryClaim())
        {
            waiter.Complete(new WaitOutcome(null, null, StreamError.None));
        }
    }

    // Where the readiness loop does not watch the socket, the command loop does not read while a
    // command blocks, so a client that hangs up meanwhile is noticed by a read that peeks: the end
    // of the stream ends the wait, as Redis frees a blocked client that disconnects. Bytes sent
    // meanwhile end the probe and stay for the loop.
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
                EndWait();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            EndWait();
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }
}
