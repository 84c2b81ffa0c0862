using Microsoft.Extensions.Logging;
using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>
/// One activation of a grain: the instance, its turn, its queue, its timers and its lifecycle.
/// </summary>
/// <remarks>
/// <para>
/// The turn is one integer: 1 while a turn runs. A caller takes it with one compare-and-swap when the activation is
/// idle and nothing is queued (the fast path, inline on the caller's thread); otherwise work is queued and runs on the
/// thread pool, one item per turn, in FIFO order. The activation holds the turn from creation until activation
/// completes, and again from the start of deactivation forever, so no call can slip in around either.
/// </para>
/// <para>
/// Queue and turn follow one rule that loses no wake-up: an enqueuer adds its item and then tries to take the turn;
/// <see cref="ExitTurn"/> releases the turn and then looks at the queue. Each side uses a full fence between its write
/// and its read, so at least one of them sees the other and schedules the item.
/// </para>
/// </remarks>
internal sealed partial class ActivationData : InvocationTarget, IGrainContext, IThreadPoolWorkItem
{
    private readonly GrainRuntime _runtime;
    private readonly Lock _lock = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<GrainTimer> _timers = [];

    private int _turn;
    private int _queueCount;
    private volatile ActivationStatus _status;
    private Grain? _grain;

    // Set on every turn and cleared by the collector's sweep, which records the time it saw it: the clock is read
    // once per sweep, never per call.
    private bool _used = true;
    private long _lastUsedTicks;
    private long _keepAliveUntilTicks;
    private bool _deactivateOnIdle;
    private DeactivationReason _deactivationReason;
    private Exception? _activationException;

    public ActivationData(GrainClass grainClass, string key)
    {
        GrainClass = grainClass;
        PrimaryKey = key;
        _runtime = grainClass.Runtime;
        _lastUsedTicks = _runtime.NowTicks();

        // Born holding the turn: the creator runs the activation turn next.
        _turn = 1;
        _status = ActivationStatus.Activating;
    }

    public GrainClass GrainClass { get; }

    public string PrimaryKey { get; }

    public Type GrainType => GrainClass.GrainType;

    public IGrainFactory GrainFactory => _runtime.GrainFactory;

    public TimeProvider TimeProvider => _runtime.TimeProvider;

    public ILogger Logger => _runtime.ActivationLogger;

    public ActivationStatus Status => _status;

    /// <summary>The grain instance; only read while holding the turn of an active activation.</summary>
    public object Grain => _grain!;

    /// <summary>Completes when the activation has left the directory (deactivated or failed).</summary>
    public Task Deactivated => _deactivated.Task;

    public override string ToString() => $"{GrainType.Name}/{PrimaryKey}";

    // ---- Turns ----------------------------------------------------------------------------------------------------

    public override object? TryEnterTurn()
    {
        // The turn is free only while the activation is active (see the remarks), so no status check is needed.
        if (Volatile.Read(ref _queueCount) == 0 && Interlocked.CompareExchange(ref _turn, 1, 0) == 0)
        {
            _used = true;
            return _grain;
        }

        return null;
    }

    public override void ExitTurn()
    {
        if (_deactivateOnIdle)
        {
            // Keep the turn: deactivation is the next (and last) turn.
            _deactivationReason = new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called.");
            Schedule();
            return;
        }

        Interlocked.Exchange(ref _turn, 0);
        if (Volatile.Read(ref _queueCount) != 0 && Interlocked.CompareExchange(ref _turn, 1, 0) == 0)
        {
            Schedule();
        }
    }

    public override ValueTask<TResult> EnqueueAsync<TInvokable, TResult>(TInvokable invokable)
    {
        var item = new CallWorkItem<TInvokable, TResult>(invokable);
        if (!Enqueue(item))
        {
            GrainClass.Route(PrimaryKey, item, this);
        }

        return item.Task;
    }

    public override ValueTask EnqueueAsync<TInvokable>(TInvokable invokable)
    {
        var item = new CallWorkItem<TInvokable>(invokable);
        if (!Enqueue(item))
        {
            GrainClass.Route(PrimaryKey, item, this);
        }

        return item.Task;
    }

    /// <summary>Queues work behind the running turn, or starts it on the thread pool if the activation is idle.</summary>
    /// <returns><see langword="false"/> if the activation is gone (the caller re-routes the item).</returns>
    public bool Enqueue(WorkItem item)
    {
        lock (_lock)
        {
            if (_status == ActivationStatus.Deactivated)
            {
                return false;
            }

            _queue.Enqueue(item);
            Volatile.Write(ref _queueCount, _queue.Count);
        }

        if (Interlocked.CompareExchange(ref _turn, 1, 0) == 0)
        {
            _used = true;
            Schedule();
        }

        return true;
    }

    /// <summary>Runs the next queued item, or the deactivation, holding the turn. Always on the thread pool.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        if (_deactivationReason.ReasonCode != DeactivationReasonCode.None)
        {
            StartDeactivation(_deactivationReason);
            return;
        }

        WorkItem? item;
        lock (_lock)
        {
            _queue.TryDequeue(out item);
            Volatile.Write(ref _queueCount, _queue.Count);
        }

        if (item is null)
        {
            ExitTurn();
            return;
        }

        item.Run(this);
    }

    // Queued work never runs on the thread of the caller whose turn just ended: that caller gets on with its own work.
    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    // ---- Activation -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs the first turn (constructor, context, <c>OnActivateAsync</c>) on the calling thread; the creator holds the
    /// turn. Returns the exception if activation failed synchronously.
    /// </summary>
    public Exception? Activate()
    {
        Task activating;
        try
        {
            var grain = GrainClass.Activator(_runtime.Services);
            grain.SetGrainContext(this);
            _grain = grain;
            activating = grain.OnActivateAsync(_runtime.StoppingToken) ?? Task.CompletedTask;
        }
        catch (Exception exception)
        {
            OnActivationFailed(exception);
            return exception;
        }

        if (!activating.IsCompleted)
        {
            activating.ContinueWith(
                static (task, state) => ((ActivationData)state!).OnActivated(task),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return null;
        }

        OnActivated(activating);
        return _activationException;
    }

    private void OnActivated(Task activating)
    {
        if (!activating.IsCompletedSuccessfully)
        {
            OnActivationFailed(activating.Exception?.InnerException ?? new TaskCanceledException(activating));
            return;
        }

        _status = ActivationStatus.Active;
        ExitTurn();
    }

    // A failed activation fails the calls waiting for it and leaves the directory, so the next call retries.
    private void OnActivationFailed(Exception exception)
    {
        _activationException = exception;
        LogActivationFailed(Logger, GrainType, PrimaryKey, exception);
        StopTimers();
        foreach (var item in Close())
        {
            item.Fail(exception);
        }

        _deactivated.TrySetResult();
    }

    // ---- Deactivation ---------------------------------------------------------------------------------------------

    /// <summary>Runs <c>OnDeactivateAsync</c> as the last turn; the caller holds the turn.</summary>
    public void StartDeactivation(DeactivationReason reason)
    {
        _deactivationReason = reason;
        _status = ActivationStatus.Deactivating;
        StopTimers();

        Task deactivating;
        try
        {
            deactivating = _grain!.OnDeactivateAsync(reason, CancellationToken.None) ?? Task.CompletedTask;
        }
        catch (Exception exception)
        {
            deactivating = Task.FromException(exception);
        }

        if (deactivating.IsCompleted)
        {
            FinishDeactivation(deactivating);
        }
        else
        {
            deactivating.ContinueWith(
                static (task, state) => ((ActivationData)state!).FinishDeactivation(task),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private void FinishDeactivation(Task deactivating)
    {
        if (deactivating.Exception is { } exception)
        {
            LogDeactivationFailed(Logger, GrainType, PrimaryKey, exception.InnerException ?? exception);
        }

        var remaining = Close();
        LogDeactivated(Logger, GrainType, PrimaryKey, _deactivationReason.ReasonCode, _deactivationReason.Description);

        // Calls that arrived during deactivation go to a fresh activation, never lost.
        foreach (var item in remaining)
        {
            if (item.FollowsGrain)
            {
                GrainClass.Route(PrimaryKey, item, this);
            }
            else
            {
                item.Fail(new InvalidOperationException($"Activation {this} was deactivated."));
            }
        }

        _deactivated.TrySetResult();
    }

    /// <summary>Leaves the directory, refuses further work and returns what was queued. The turn stays held forever.</summary>
    private List<WorkItem> Close()
    {
        // Leave the directory first: from here on a caller finds no activation and creates a fresh one; the old
        // grain's code has finished running.
        _runtime.Directory.Remove(this);
        List<WorkItem> remaining;
        lock (_lock)
        {
            _status = ActivationStatus.Deactivated;
            remaining = [.. _queue];
            _queue.Clear();
            Volatile.Write(ref _queueCount, 0);
        }

        _grain = null;
        return remaining;
    }

    /// <summary>Asks the activation to deactivate after the work already queued (used when the silo stops).</summary>
    public Task RequestDeactivation(DeactivationReason reason)
    {
        Enqueue(new DeactivationWorkItem(reason));
        return _deactivated.Task;
    }

    /// <summary>
    /// The collector's check, once per sweep: an activation unused for <paramref name="collectionAgeTicks"/> (and past any
    /// <see cref="DelayDeactivation"/>) is deactivated if its turn can be taken now.
    /// </summary>
    /// <returns>Whether a deactivation was started.</returns>
    public bool TryCollect(long nowTicks, long collectionAgeTicks)
    {
        if (_status != ActivationStatus.Active)
        {
            return false;
        }

        if (_used || Volatile.Read(ref _turn) != 0)
        {
            _used = false;
            _lastUsedTicks = nowTicks;
            return false;
        }

        if (nowTicks - _lastUsedTicks < collectionAgeTicks ||
            nowTicks < Volatile.Read(ref _keepAliveUntilTicks) ||
            Volatile.Read(ref _queueCount) != 0 ||
            Interlocked.CompareExchange(ref _turn, 1, 0) != 0)
        {
            return false;
        }

        _deactivationReason = new DeactivationReason(DeactivationReasonCode.ActivationIdle, "The activation was idle for longer than the collection age.");
        Schedule();
        return true;
    }

    // ---- IGrainContext ------------------------------------------------------------------------------------------

    public void DeactivateOnIdle() => _deactivateOnIdle = true;

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        var now = _runtime.NowTicks();
        var until = timeSpan <= TimeSpan.Zero ? 0
            : timeSpan.Ticks > long.MaxValue - now ? long.MaxValue
            : now + timeSpan.Ticks;
        Volatile.Write(ref _keepAliveUntilTicks, until);
    }

    public IGrainTimer RegisterGrainTimer<TState>(
        Func<TState, CancellationToken, Task> callback,
        TState state,
        TimeSpan dueTime,
        TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        GrainTimer.Validate(dueTime, period);
        var timer = new GrainTimer<TState>(this, callback, state, period);
        bool added;
        lock (_lock)
        {
            // Timers die with the activation: once deactivation has stopped them, no new one may start.
            added = _status < ActivationStatus.Deactivating;
            if (added)
            {
                _timers.Add(timer);
            }
        }

        if (!added)
        {
            timer.Dispose();
            throw new InvalidOperationException($"Activation {this} is deactivating: it cannot register timers.");
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    // Timers die with the activation.
    private void StopTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }
}
