using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>
/// The runtime hook behind a grain reference: one activation, which runs one turn at a time. The runtime implements
/// it; <see cref="GrainReference"/> calls it. The fast-path members are non-generic so that they dispatch as plain
/// virtual calls.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class InvocationTarget
{
    /// <summary>
    /// Claims the turn if the activation is active, idle and has nothing queued: the caller may then run one call on
    /// the returned grain inline and must call <see cref="ExitTurn"/> exactly once when the call's task completes.
    /// </summary>
    /// <returns>The grain instance, or <see langword="null"/> if the turn could not be claimed.</returns>
    public abstract object? TryEnterTurn();

    /// <summary>Ends a turn claimed by <see cref="TryEnterTurn"/>; queued work then runs on the thread pool.</summary>
    public abstract void ExitTurn();

    /// <summary>
    /// Queues a call behind the running turn (or re-routes it to a fresh activation if this one is being
    /// deactivated). The slow path: it allocates one work item.
    /// </summary>
    /// <typeparam name="TInvokable">The generated invokable.</typeparam>
    /// <typeparam name="TResult">The method's result type.</typeparam>
    /// <param name="invokable">The captured call.</param>
    /// <returns>A task for the call's result.</returns>
    public abstract ValueTask<TResult> EnqueueAsync<TInvokable, TResult>(TInvokable invokable)
        where TInvokable : struct, IGrainInvokable<TResult>;

    /// <summary>Queues a call with no result; see <see cref="EnqueueAsync{TInvokable, TResult}(TInvokable)"/>.</summary>
    /// <typeparam name="TInvokable">The generated invokable.</typeparam>
    /// <param name="invokable">The captured call.</param>
    /// <returns>A task for the call's completion.</returns>
    public abstract ValueTask EnqueueAsync<TInvokable>(TInvokable invokable)
        where TInvokable : struct, IGrainInvokable;
}
