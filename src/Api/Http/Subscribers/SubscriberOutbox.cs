using Platform.Api.Resp.Protocol;

namespace Platform.Api.Http.Subscribers;

/// <summary>
/// What an SSE or WebSocket subscriber has to send: publishes append to it from any thread and
/// return at once; the subscriber's own writer loop takes everything accumulated in one piece
/// (messages that arrive while a send is in flight coalesce behind it). Bounded by the pubsub
/// output buffer limits: past them the outbox closes and the client is disconnected, so a slow
/// reader costs its own memory only, never anyone's time.
/// </summary>
internal sealed class SubscriberOutbox
{
    private readonly Lock _lock = new();
    private readonly AsyncSignal _signal = new();
    private readonly OutputLimitCheck _limit;
    private readonly Action<long> _overLimit;
    private byte[] _pending = [];
    private int _length;
    private long _inFlight;
    private int _held;
    private bool _closed;
    private bool _appendedSinceMark;

    /// <param name="limit">The output buffer limits of this client.</param>
    /// <param name="overLimit">
    /// Called once, with the bytes pending, when the limits close the outbox (on the publishing
    /// thread: it must only start the disconnection).
    /// </param>
    public SubscriberOutbox(OutputLimitCheck limit, Action<long> overLimit)
    {
        _limit = limit;
        _overLimit = overLimit;
    }

    /// <summary>Bytes waiting for the client, including those being sent.</summary>
    public long PendingBytes
    {
        get
        {
            lock (_lock)
            {
                return _length + _inFlight;
            }
        }
    }

    /// <summary>Whether the outbox was closed (the client went, or passed the limits).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Queues bytes. Never blocks; ignored once closed.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        long overBy = -1;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            var needed = _length + data.Length;
            if (needed > _pending.Length)
            {
                var next = ByteBuffers.Rent(Math.Max(needed, Math.Max(1024, _pending.Length * 2)));
                _pending.AsSpan(0, _length).CopyTo(next);
                ByteBuffers.Return(ref _pending);
                _pending = next;
            }

            data.CopyTo(_pending.AsSpan(_length));
            _length = needed;
            _appendedSinceMark = true;
            if (_limit.IsExceeded(_length + _inFlight))
            {
                overBy = _length + _inFlight;
                CloseLocked();
            }
        }

        _signal.Set();
        if (overBy >= 0)
        {
            _overLimit(overBy);
        }
    }

    /// <summary>
    /// Keeps the writer from sending until <see cref="Release"/>: what is queued meanwhile
    /// (a subscription's confirmation, then the messages that follow it) waits, so the client sees
    /// the confirmation only once the subscription is in effect.
    /// </summary>
    public void Hold()
    {
        lock (_lock)
        {
            _held++;
        }
    }

    /// <summary>Ends a <see cref="Hold"/>.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _held--;
        }

        _signal.Set();
    }

    /// <summary>
    /// Whether anything was queued since the previous call (a keep-alive is only needed on a
    /// quiet connection).
    /// </summary>
    public bool TakeActivityMark()
    {
        lock (_lock)
        {
            var active = _appendedSinceMark;
            _appendedSinceMark = false;
            return active;
        }
    }

    /// <summary>
    /// Waits for bytes and takes all of them; the caller sends them and then calls
    /// <see cref="Sent"/>. An empty chunk means the outbox closed. One writer only.
    /// </summary>
    public async ValueTask<OutboxChunk> TakeAsync()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return default;
                }

                if (_length > 0 && _held == 0)
                {
                    var chunk = new OutboxChunk(_pending, _length);
                    _inFlight = _length;
                    _pending = [];
                    _length = 0;
                    return chunk;
                }
            }

            await _signal.WaitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The chunk taken last has been sent: its buffer goes back to the pool.</summary>
    public void Sent(OutboxChunk chunk)
    {
        lock (_lock)
        {
            _inFlight = 0;
        }

        var buffer = chunk.Buffer;
        ByteBuffers.Return(ref buffer);
    }

    /// <summary>Stops queuing and wakes the writer, which then ends. Queued bytes are dropped.</summary>
    public void Close()
    {
        lock (_lock)
        {
            CloseLocked();
        }

        _signal.Set();
    }

    private void CloseLocked()
    {
        _closed = true;
        ByteBuffers.Return(ref _pending);
        _length = 0;
    }
}

/// <summary>Bytes taken from an outbox: the first <see cref="Length"/> bytes of <see cref="Buffer"/>.</summary>
/// <param name="Buffer">A pooled buffer, owned by the writer until it calls <see cref="SubscriberOutbox.Sent"/>.</param>
/// <param name="Length">How many bytes are valid.</param>
internal readonly record struct OutboxChunk(byte[] Buffer, int Length)
{
    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    /// <summary>No bytes: the outbox is closed.</summary>
    public bool IsEmpty => Length == 0;
}
