using System.Net.Sockets;
using Platform.Api.Resp.Protocol;
using Platform.Api.Server;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// What a connection has to send, from its own command loop (replies) and from other threads
/// (pushes: Pub/Sub messages, keyspace events). One writer at a time drains whatever has
/// accumulated into the socket in one write: replies of a receive batch go out together, and
/// pushes that arrive while a send is in flight coalesce behind it. Replies take the writer role
/// on their own thread (no hop); pushes wake a writer on the thread pool, so a publisher never
/// waits for a subscriber's socket. A write is tried at once, straight from the bytes at hand;
/// only what the socket cannot take is kept and sent asynchronously.
/// </summary>
internal sealed class OutputBuffer : IThreadPoolWorkItem
{
    // Above this, a command loop waits for the socket before reading more requests.
    private const int ReplyBackpressureBytes = 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Socket _socket;
    private readonly ServerStats _stats;
    private byte[] _pending = [];
    private int _pendingLength;

    // Taken by the writer, not yet all taken by the socket: still this client's memory.
    private long _inFlight;
    private bool _writerActive;
    private bool _batchOpen;
    private bool _closed;
    private TaskCompletionSource? _drained;

    /// <param name="socket">The client's socket, non-blocking.</param>
    /// <param name="stats">Told of the bytes handed to the socket (INFO's total_net_output_bytes).</param>
    public OutputBuffer(Socket socket, ServerStats stats)
    {
        _socket = socket;
        _stats = stats;
    }

    /// <summary>Bytes waiting for the socket (CLIENT LIST's omem).</summary>
    public long PendingBytes
    {
        get
        {
            lock (_lock)
            {
                return _pendingLength + _inFlight;
            }
        }
    }

    /// <summary>
    /// The command loop is working through a receive batch and will flush at its end, so a
    /// push need not wake a writer meanwhile.
    /// </summary>
    public void BeginBatch()
    {
        lock (_lock)
        {
            _batchOpen = true;
        }
    }

    /// <summary>
    /// Queues bytes from any thread (a push). Never blocks on the socket; wakes a writer if none
    /// is running and the command loop is not about to flush.
    /// </summary>
    /// <returns>The bytes now waiting (for the output buffer limits); 0 once closed.</returns>
    public long Append(ReadOnlySpan<byte> data)
    {
        bool wake;
        long pending;
        lock (_lock)
        {
            if (_closed)
            {
                return 0;
            }

            AppendLocked(data);
            pending = _pendingLength + _inFlight;
            wake = !_writerActive && !_batchOpen;
            _writerActive |= wake;
        }

        if (wake)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return pending;
    }

    /// <summary>
    /// Queues the replies written so far, so that any push queued after this call is sent after
    /// them (a subscription's confirmation precedes its first message).
    /// </summary>
    public void Commit(ReadOnlySpan<byte> replies)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                AppendLocked(replies);
            }
        }
    }

    /// <summary>
    /// Ends the batch: sends <paramref name="replies"/> and whatever is queued, on this thread,
    /// unless a writer is already running (then the replies queue behind it). Completes when
    /// the socket has taken the bytes, or at once when another writer holds them and not too
    /// much is waiting.
    /// </summary>
    public ValueTask FlushAsync(ReadOnlySpan<byte> replies)
    {
        lock (_lock)
        {
            _batchOpen = false;
            if (_closed)
            {
                return ValueTask.CompletedTask;
            }

            if (_writerActive || _pendingLength > 0)
            {
                AppendLocked(replies);
                if (_writerActive)
                {
                    return _pendingLength > ReplyBackpressureBytes ? new ValueTask(WaitForDrainLocked()) : ValueTask.CompletedTask;
                }

                replies = default;
            }

            _writerActive = true;
        }

        if (replies.IsEmpty)
        {
            return WriteLoopAsync([], 0);
        }

        _stats.BytesWritten(replies.Length);
        int sent;
        try
        {
            sent = TrySend(replies);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close();
            return ValueTask.CompletedTask;
        }

        if (sent == replies.Length)
        {
            // Pushes queued meanwhile go next; usually there are none, and this completes at once.
            return WriteLoopAsync([], 0);
        }

        var rest = ByteBuffers.Rent(replies.Length - sent);
        replies[sent..].CopyTo(rest);
        return WriteLoopAsync(rest, replies.Length - sent);
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, until everything queued has reached the socket.</summary>
    public async ValueTask DrainAsync(TimeSpan timeout)
    {
        Task drained;
        lock (_lock)
        {
            if (_closed || (!_writerActive && _pendingLength == 0))
            {
                return;
            }

            drained = WaitForDrainLocked();
        }

        try
        {
            await drained.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A client that does not read its last reply loses it.
        }
    }

    /// <summary>Stops all sending; queued bytes are dropped (the connection is going away).</summary>
    public void Close()
    {
        TaskCompletionSource? drained;
        lock (_lock)
        {
            _closed = true;
            ByteBuffers.Return(ref _pending);
            _pendingLength = 0;
            drained = _drained;
            _drained = null;
        }

        drained?.TrySetResult();
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteLoopAsync([], 0);

    // The writer: sends the first chunk (if any), then what is queued, then anything queued
    // meanwhile, until nothing is left.
    private async ValueTask WriteLoopAsync(byte[] chunk, int length)
    {
        try
        {
            while (true)
            {
                lock (_lock)
                {
                    if (length == 0)
                    {
                        if (_closed || _pendingLength == 0)
                        {
                            _writerActive = false;
                            ByteBuffers.Return(ref _pending);
                            SignalDrainedLocked();
                            return;
                        }

                        chunk = _pending;
                        length = _pendingLength;
                        _pending = [];
                        _pendingLength = 0;
                        _stats.BytesWritten(length);
                    }

                    _inFlight = length;
                }

                try
                {
                    var sent = TrySend(chunk.AsSpan(0, length));
                    if (sent < length)
                    {
                        await _socket.SendAsync(chunk.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);

                        // The socket keeps its last asynchronous send's buffer: an empty send (done
                        // at once) makes it let go, so a big reply is not held as long as the client stays.
                        await _socket.SendAsync(ReadOnlyMemory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    }
                }
                finally
                {
                    ByteBuffers.Return(ref chunk);
                }

                length = 0;
                lock (_lock)
                {
                    _inFlight = 0;
                }
            }
        }
        catch (Exception)
        {
            // The socket failed or was closed under us: the connection is going away, and its
            // command loop observes that on its side.
            Close();
        }
    }

    // One non-blocking send: the bytes the socket took, maybe none.
    private int TrySend(ReadOnlySpan<byte> data)
    {
        var sent = _socket.Send(data, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
    }

    private void AppendLocked(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var needed = _pendingLength + data.Length;
        if (needed > _pending.Length)
        {
            var capacity = Math.Max(needed, Math.Max(1024, _pending.Length * 2));
            var next = ByteBuffers.Rent(capacity);
            _pending.AsSpan(0, _pendingLength).CopyTo(next);
            ByteBuffers.Return(ref _pending);
            _pending = next;
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    private Task WaitForDrainLocked()
    {
        _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _drained.Task;
    }

    private void SignalDrainedLocked()
    {
        _drained?.TrySetResult();
        _drained = null;
    }

}
