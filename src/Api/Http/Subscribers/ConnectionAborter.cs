namespace Platform.Api.Http.Subscribers;

/// <summary>
/// Disconnects a client from another thread (a publish that found its outbox over the limits)
/// only while its request is still running: Kestrel reuses a finished request's objects, so an
/// abort that arrived late must do nothing.
/// </summary>
internal sealed class ConnectionAborter(Action abort) : IDisposable
{
    private readonly Lock _lock = new();
    private bool _finished;

    /// <summary>Aborts the connection on the thread pool (the caller may be a grain's turn).</summary>
    public void AbortSoon() => ThreadPool.UnsafeQueueUserWorkItem(static aborter => aborter.Abort(), this, preferLocal: false);

    /// <summary>The request has finished: aborts from now on are ignored.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _finished = true;
        }
    }

    private void Abort()
    {
        lock (_lock)
        {
            if (!_finished)
            {
                abort();
            }
        }
    }
}
