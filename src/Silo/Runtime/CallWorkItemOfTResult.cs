using System.Threading.Tasks.Sources;
using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>
/// A queued call with a result (the slow path): the boxed invokable plus the source of the task the caller awaits,
/// so no <see cref="TaskCompletionSource{TResult}"/> is needed. One-off: it completes once.
/// </summary>
/// <typeparam name="TInvokable">The generated invokable.</typeparam>
/// <typeparam name="TResult">The method's result type.</typeparam>
internal sealed class CallWorkItem<TInvokable, TResult> : WorkItem, IValueTaskSource<TResult>
    where TInvokable : struct, IGrainInvokable<TResult>
{
    private readonly TInvokable _invokable;
    private ManualResetValueTaskSourceCore<TResult> _source;
    private ActivationData? _activation;
    private ValueTask<TResult> _pending;

    public CallWorkItem(TInvokable invokable) => _invokable = invokable;

    /// <summary>The task the caller awaits.</summary>
    public ValueTask<TResult> Task => new(this, _source.Version);

    public override void Run(ActivationData activation)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = _invokable.Invoke(activation.Grain);
        }
        catch (Exception exception)
        {
            activation.ExitTurn();
            _source.SetException(exception);
            return;
        }

        if (pending.IsCompleted)
        {
            Complete(activation, pending);
            return;
        }

        // The turn lasts until the grain's task completes.
        _activation = activation;
        _pending = pending;
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnPendingCompleted);
    }

    public override void Fail(Exception exception) => _source.SetException(exception);

    public TResult GetResult(short token) => _source.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    private void OnPendingCompleted() => Complete(_activation!, _pending);

    // Ends the turn before completing the caller's task: the caller's continuation may run inline here and must not
    // find the turn still held (it may call this grain again).
    private void Complete(ActivationData activation, ValueTask<TResult> pending)
    {
        TResult result;
        try
        {
            result = pending.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            activation.ExitTurn();
            _source.SetException(exception);
            return;
        }

        activation.ExitTurn();
        _source.SetResult(result);
    }
}
