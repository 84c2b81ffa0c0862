namespace Platform.Silo.Runtime;

/// <summary>
/// A grain timer: each tick is queued to the activation as a turn, so the callback never overlaps a call. The next
/// tick is scheduled only when the callback's task completes, so ticks never overlap each other either. The same
/// object is queued for every tick: a tick allocates nothing.
/// </summary>
internal abstract partial class GrainTimer : WorkItem, IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private TimeSpan _period;
    private int _queued;
    private int _version;

    protected GrainTimer(ActivationData activation, TimeSpan period)
    {
        _activation = activation;
        _period = period;

        // Created stopped: Change starts it once this object is fully built.
        _timer = activation.TimeProvider.CreateTimer(
            static state => ((GrainTimer)state!).OnTimerFired(),
            this,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    // A timer tick belongs to its activation and dies with it.
    public override bool FollowsGrain => false;

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        _period = period;

        // A tick that is running when Change is called must not reschedule over this due time.
        Interlocked.Increment(ref _version);
        Reschedule(dueTime);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    public override void Run(ActivationData activation)
    {
        var version = Volatile.Read(ref _version);
        if (_disposed.IsCancellationRequested)
        {
            Completed(activation, Task.CompletedTask, version);
            return;
        }

        Task callback;
        try
        {
            callback = InvokeCallback(_disposed.Token) ?? Task.CompletedTask;
        }
        catch (Exception exception)
        {
            callback = Task.FromException(exception);
        }

        if (callback.IsCompleted)
        {
            Completed(activation, callback, version);
            return;
        }

        callback.ContinueWith(
            (task, state) => Completed((ActivationData)state!, task, version),
            activation,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public override void Fail(Exception exception) => Volatile.Write(ref _queued, 0);

    /// <summary>Calls the grain's callback.</summary>
    protected abstract Task InvokeCallback(CancellationToken cancellationToken);

    /// <summary>Throws unless both times are non-negative or infinite.</summary>
    public static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        Check(dueTime, nameof(dueTime));
        Check(period, nameof(period));

        static void Check(TimeSpan value, string name)
        {
            if (value != Timeout.InfiniteTimeSpan && value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, "Must be non-negative or Timeout.InfiniteTimeSpan.");
            }
        }
    }

    // On the clock's thread: queue the tick as a turn, unless one is already waiting or running.
    private void OnTimerFired()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _queued, 1) == 1)
        {
            return;
        }

        if (!_activation.Enqueue(this))
        {
            Volatile.Write(ref _queued, 0);
        }
    }

    private void Completed(ActivationData activation, Task callback, int version)
    {
        if (callback.Exception is { } exception)
        {
            LogCallbackFailed(activation.Logger, activation.GrainType, activation.PrimaryKey, exception.InnerException ?? exception);
        }

        // Rearm before the turn ends: whoever runs after this turn (a call, a test) sees the next tick scheduled.
        Volatile.Write(ref _queued, 0);
        var period = _period;
        if (period != Timeout.InfiniteTimeSpan && version == Volatile.Read(ref _version))
        {
            Reschedule(period);
        }

        activation.ExitTurn();
    }

    private void Reschedule(TimeSpan dueTime)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: the timer is stopped, which is what Dispose wants.
        }
    }
}
