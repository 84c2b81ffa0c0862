namespace Platform.Silo.Runtime;

/// <summary>A grain timer with a typed state.</summary>
/// <typeparam name="TState">The callback's state.</typeparam>
internal sealed class GrainTimer<TState> : GrainTimer
{
    private readonly Func<TState, CancellationToken, Task> _callback;
    private readonly TState _state;

    public GrainTimer(ActivationData activation, Func<TState, CancellationToken, Task> callback, TState state, TimeSpan period)
        : base(activation, period)
    {
        _callback = callback;
        _state = state;
    }

    protected override Task InvokeCallback(CancellationToken cancellationToken) => _callback(_state, cancellationToken);
}
