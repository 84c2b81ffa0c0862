namespace Platform.Grains.Streams;

/// <summary>
/// Blocked XREAD/XREADGROUP readers: waiters registered here, served first come first served
/// when entries arrive, never a suspended turn.
/// </summary>
internal sealed partial class StreamGrain
{
    private readonly List<(StreamWaiter Waiter, WaitRequest Request)> _waiters = [];

    /// <inheritdoc/>
    public ValueTask BlockAsync(StreamWaiter waiter, WaitRequest request)
    {
        if (waiter.IsWaiting && !TryServe(waiter, request))
        {
            _waiters.Add((waiter, request));
            UpdateKeepAlive();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask UnblockAsync(StreamWaiter waiter)
    {
        if (_waiters.RemoveAll(w => w.Waiter == waiter) > 0)
        {
            UpdateKeepAlive();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ServeWaitersAsync()
    {
        ServeWaiters();
        return ValueTask.CompletedTask;
    }

    // After entries arrive (or the key is replaced): serve every waiter that now has something,
    // in the order they came.
    private void ServeWaiters()
    {
        if (_waiters.Count == 0)
        {
            return;
        }

        var waiting = _waiters.ToArray();
        _waiters.Clear();
        foreach (var (waiter, request) in waiting)
        {
            if (waiter.IsWaiting && !TryServe(waiter, request))
            {
                _waiters.Add((waiter, request));
            }
        }

        UpdateKeepAlive();
    }

    // Serves a waiter if what it waits for is here; false if it must go on waiting.
    private bool TryServe(StreamWaiter waiter, WaitRequest request)
    {
        var now = NowMs;
        var state = Current(now);
        if (request.Group is null)
        {
            if (state is null || state.Length == 0 || !(state.LastValidId > request.After) || !waiter.TryClaim())
            {
                return !waiter.IsWaiting;
            }

            var entries = new StreamEntries();
            ReadAfter(state, request.After, request.Count, entries);
            waiter.Complete(new WaitOutcome(request.Stream, entries, StreamError.None));
            return true;
        }

        if (state is null || !state.Groups.TryGetValue(request.Group, out var group))
        {
            return Fail(waiter, state is null ? StreamError.KeyDeletedWhileBlocked : StreamError.GroupDestroyedWhileBlocked);
        }

        if (state.Length == 0 || !(state.LastValidId > group.LastDeliveredId) || !waiter.TryClaim())
        {
            return !waiter.IsWaiting;
        }

        var delivered = new StreamEntries();
        DeliverNew(state, group, ConsumerFor(group, request.Consumer!, now), request.Count, request.NoAck, now, delivered);
        waiter.Complete(new WaitOutcome(request.Stream, delivered, StreamError.None));
        return true;
    }

    // The key went away, or a group was destroyed: its blocked readers get Redis's error.
    private void FailGroupWaiters(StreamError error, string? group)
    {
        if (_waiters.RemoveAll(w =>
            w.Request.Group is not null && (group is null || w.Request.Group == group) && Fail(w.Waiter, error)) > 0)
        {
            UpdateKeepAlive();
        }
    }

    private static bool Fail(StreamWaiter waiter, StreamError error)
    {
        if (waiter.TryClaim())
        {
            waiter.Complete(new WaitOutcome(null, null, error));
        }

        return true;
    }
}
