namespace Platform.Silo.Storage;

/// <summary>
/// A thread of its own on which an async loop runs and resumes: what the loop awaits (with
/// <c>ConfigureAwait(true)</c>) continues on this thread, which sleeps in the kernel while there is
/// nothing to do. The journal's writer and releaser wake hundreds of times a second; as thread-pool
/// work each wake-up had idle workers spin and yield, costing more CPU than the commit it carried.
/// </summary>
internal sealed class DedicatedThread : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private bool _stopped;

    private DedicatedThread()
    {
    }

    /// <summary>Runs <paramref name="loop"/> on a new thread; the thread ends when the loop does.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var context = Start(name);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Post(_ => _ = RunLoopAsync(context, loop, done), null);
        return done.Task;
    }

    /// <summary>A new thread that runs what is posted to it, in order, until <see cref="Stop"/>.</summary>
    public static DedicatedThread Start(string name)
    {
        var context = new DedicatedThread();
        new Thread(context.Serve) { IsBackground = true, Name = name }.Start();
        return context;
    }

    /// <summary>Ends the thread once what was posted before has run.</summary>
    public void Stop()
    {
        lock (_queue)
        {
            _stopped = true;
            Monitor.Pulse(_queue);
        }
    }

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_queue)
        {
            _queue.Enqueue((d, state));
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_queue);
            }
        }
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;

    private static async Task RunLoopAsync(DedicatedThread context, Func<Task> loop, TaskCompletionSource done)
    {
        try
        {
            await loop().ConfigureAwait(true);
            done.TrySetResult();
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
        finally
        {
            context.Stop();
        }
    }

    private void Serve()
    {
        SetSynchronizationContext(this);
        while (true)
        {
            (SendOrPostCallback Callback, object? State) work;
            lock (_queue)
            {
                while (_queue.Count == 0)
                {
                    if (_stopped)
                    {
                        return;
                    }

                    Monitor.Wait(_queue);
                }

                work = _queue.Dequeue();
            }

            work.Callback(work.State);
        }
    }
}
