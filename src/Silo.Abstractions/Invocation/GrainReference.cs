using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Platform.Silo.Invocation;

/// <summary>
/// Base class of generated grain proxies. Each proxy method captures its arguments in a struct invokable and calls
/// <see cref="InvokeAsync{TInvokable, TResult}(TInvokable)"/>.
/// </summary>
/// <remarks>
/// The fast path: when the cached activation is active and idle, the call runs inline on the caller's thread and, if
/// the grain's task completes synchronously, allocates nothing: the invokable stays a struct (a generic argument, never
/// boxed) and the runtime is reached only through the non-generic <see cref="InvocationTarget.TryEnterTurn"/> and
/// <see cref="InvocationTarget.ExitTurn"/>. Otherwise the call is queued (one work item).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainReference : IAddressable, IEquatable<GrainReference>
{
    private readonly GrainReferenceShared _shared;

    // The activation this reference last reached. Written racily by concurrent callers: any live target is correct,
    // and a stale one is replaced through Resolve.
    private InvocationTarget? _target;

    /// <summary>Creates a reference to the grain with <paramref name="primaryKey"/>.</summary>
    /// <param name="shared">The runtime's state for the grain class.</param>
    /// <param name="primaryKey">The grain's key.</param>
    protected GrainReference(GrainReferenceShared shared, string primaryKey)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(primaryKey);
        _shared = shared;
        PrimaryKey = primaryKey;
    }

    /// <summary>The grain's key.</summary>
    public string PrimaryKey { get; }

    /// <summary>The grain class the reference resolves to.</summary>
    public Type GrainType => _shared.GrainType;

    /// <summary>Runs a call that has a result on the grain.</summary>
    /// <typeparam name="TInvokable">The generated invokable.</typeparam>
    /// <typeparam name="TResult">The method's result type.</typeparam>
    /// <param name="invokable">The captured call.</param>
    /// <returns>The call's result.</returns>
    protected ValueTask<TResult> InvokeAsync<TInvokable, TResult>(TInvokable invokable)
        where TInvokable : struct, IGrainInvokable<TResult>
    {
        var target = _target;
        if (target is not null && target.TryEnterTurn() is { } grain)
        {
            return RunInline<TInvokable, TResult>(target, grain, invokable);
        }

        return InvokeSlowAsync<TInvokable, TResult>(invokable);
    }

    /// <summary>Runs a call that has no result on the grain.</summary>
    /// <typeparam name="TInvokable">The generated invokable.</typeparam>
    /// <param name="invokable">The captured call.</param>
    /// <returns>The call's completion.</returns>
    protected ValueTask InvokeAsync<TInvokable>(TInvokable invokable)
        where TInvokable : struct, IGrainInvokable
    {
        var target = _target;
        if (target is not null && target.TryEnterTurn() is { } grain)
        {
            return RunInline(target, grain, invokable);
        }

        return InvokeSlowAsync(invokable);
    }

    /// <inheritdoc />
    public bool Equals(GrainReference? other) =>
        other is not null && ReferenceEquals(_shared, other._shared) && PrimaryKey == other.PrimaryKey;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_shared, PrimaryKey);

    /// <inheritdoc />
    public override string ToString() => $"{_shared.GrainType.Name}/{PrimaryKey}";

    private static ValueTask<TResult> RunInline<TInvokable, TResult>(InvocationTarget target, object grain, TInvokable invokable)
        where TInvokable : struct, IGrainInvokable<TResult>
    {
        // Grain code must not inherit the caller's SynchronizationContext (a UI or test context would then run the
        // grain's continuations); the common case has none and pays one thread-static read.
        var context = SynchronizationContext.Current;
        if (context is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        ValueTask<TResult> pending;
        try
        {
            pending = invokable.Invoke(grain);
        }
        catch (Exception exception)
        {
            target.ExitTurn();
            return ValueTask.FromException<TResult>(exception);
        }
        finally
        {
            if (context is not null)
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }

        if (pending.IsCompleted)
        {
            target.ExitTurn();
            return pending;
        }

        return ExitTurnWhenCompletedAsync(target, pending);
    }

    private static ValueTask RunInline<TInvokable>(InvocationTarget target, object grain, TInvokable invokable)
        where TInvokable : struct, IGrainInvokable
    {
        var context = SynchronizationContext.Current;
        if (context is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        ValueTask pending;
        try
        {
            pending = invokable.Invoke(grain);
        }
        catch (Exception exception)
        {
            target.ExitTurn();
            return ValueTask.FromException(exception);
        }
        finally
        {
            if (context is not null)
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }

        if (pending.IsCompleted)
        {
            target.ExitTurn();
            return pending;
        }

        return ExitTurnWhenCompletedAsync(target, pending);
    }

    // The turn lasts until the grain's task completes (awaits inside the grain keep the turn). The turn ends before
    // the caller's continuation runs, so a caller that calls the grain again is not queued behind itself.
    private static async ValueTask<TResult> ExitTurnWhenCompletedAsync<TResult>(InvocationTarget target, ValueTask<TResult> pending)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            target.ExitTurn();
        }
    }

    private static async ValueTask ExitTurnWhenCompletedAsync(InvocationTarget target, ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            target.ExitTurn();
        }
    }

    // Not activated yet, busy, or deactivated: resolve through the directory, then run inline if the activation is
    // idle after all (e.g. it was just activated synchronously on this thread), else queue.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<TResult> InvokeSlowAsync<TInvokable, TResult>(TInvokable invokable)
        where TInvokable : struct, IGrainInvokable<TResult>
    {
        InvocationTarget target;
        try
        {
            target = _target = _shared.Resolve(PrimaryKey, _target);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<TResult>(exception);
        }

        return target.TryEnterTurn() is { } grain
            ? RunInline<TInvokable, TResult>(target, grain, invokable)
            : target.EnqueueAsync<TInvokable, TResult>(invokable);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask InvokeSlowAsync<TInvokable>(TInvokable invokable)
        where TInvokable : struct, IGrainInvokable
    {
        InvocationTarget target;
        try
        {
            target = _target = _shared.Resolve(PrimaryKey, _target);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException(exception);
        }

        return target.TryEnterTurn() is { } grain
            ? RunInline(target, grain, invokable)
            : target.EnqueueAsync(invokable);
    }
}
