namespace Platform.TestSupport;

/// <summary>
/// Counts events raised on any thread and lets a test await a count, with a timeout, instead of sleeping.
/// </summary>
public sealed class EventCounter
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<(int Target, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    /// <summary>The count so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts one event.</summary>
    public void Increment()
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            _count++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= _count)
                {
                    (ready ??= []).Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        ready?.ForEach(signal => signal.TrySetResult());
    }

    /// <summary>Completes when the count reaches <paramref name="target"/>; fails after 30 s.</summary>
    /// <param name="target">The count to wait for.</param>
    /// <returns>A task.</returns>
    public Task WaitForAsync(int target)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (_count >= target)
            {
                return Task.CompletedTask;
            }

            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, signal));
        }

        return signal.Task.WaitAsync(DefaultTimeout);
    }
}
