using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Platform.Silo.Invocation;

namespace Platform.Silo.Observers;

/// <summary>
/// The queue in front of one observer. Posting returns at once, so a notification never blocks the grain's turn that
/// sent it; notifications run on the thread pool, one at a time, in order. An observer that throws is logged and the
/// next notification is delivered.
/// </summary>
internal sealed partial class ObserverMailbox : IObserverMailbox, IThreadPoolWorkItem
{
    // Notifications delivered per thread-pool visit, so one busy observer does not hold a thread indefinitely.
    private const int BatchSize = 64;

    private readonly ConcurrentQueue<IObserverInvokable> _queue = new();
    private readonly object _observer;
    private readonly Type _observerInterface;
    private readonly ILogger _logger;
    private int _scheduled;
    private volatile bool _closed;

    public ObserverMailbox(object observer, Type observerInterface, ILogger logger)
    {
        _observer = observer;
        _observerInterface = observerInterface;
        _logger = logger;
    }

    public void Post(IObserverInvokable invokable)
    {
        if (_closed)
        {
            // Lets an ObserverManager drop a deleted reference as defunct.
            throw new ObjectDisposedException(_observerInterface.Name, "The observer reference was deleted.");
        }

        _queue.Enqueue(invokable);
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Stops delivery: pending notifications are dropped and later posts throw.</summary>
    public void Close()
    {
        _closed = true;
        _queue.Clear();
    }

    void IThreadPoolWorkItem.Execute()
    {
        for (var i = 0; i < BatchSize && !_closed && _queue.TryDequeue(out var invokable); i++)
        {
            try
            {
                invokable.Invoke(_observer);
            }
            catch (Exception exception)
            {
                LogObserverFailed(_logger, _observerInterface, invokable.MethodName, exception);
            }
        }

        if (_closed)
        {
            _queue.Clear();
        }

        // Release, then look again: a post that saw the flag still set relies on this check.
        Interlocked.Exchange(ref _scheduled, 0);
        if (!_closed && !_queue.IsEmpty && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}
