using System.Threading.Tasks.Sources;
using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>A queued call without a result; see <see cref="CallWorkItem{TInvokable, TResult}"/>.</summary>
/// <typeparam name="TInvokable">The generated invokable.</typeparam>
internal sealed class CallWorkItem<TInvokable> : WorkItem, IValueTaskSource
    where TInvokable : struct, IGrainInvokable
{
    private readonly TInvokable _invokable;
    private ManualResetValueTaskSourceCore<bool> _source;
    private ActivationData? _activation;
    private ValueTask _pending;

    public CallWorkItem(TInvokable invokable) => _invokable = invokable;

    /// <summary>The task the caller awaits.</summary>
    public ValueTask Task => new(this, _source.Version);

    public override void Run(ActivationData activation)
    {
        ValueTask pending;
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

        _activation = activation;
        _pending = pending;
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnPendingCompleted);
    }

    public override void Fail(Exception exception) => _source.SetException(exception);

    public void GetResult(short token) => _source.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    private void OnPendingCompleted() => Complete(_activation!, _pending);

    private void Complete(ActivationData activation, ValueTask pending)
    {
        try
        {
            pending.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            activation.ExitTurn();
            _source.SetException(exception);
            return;
        }

        activation.ExitTurn();
        _source.SetResult(true);
    }
}
