namespace Platform.Silo;

/// <summary>
/// What the runtime gives an activation: its identity, the factory, the clock, and lifecycle controls. Set on a
/// <see cref="Grain"/> before <see cref="Grain.OnActivateAsync(CancellationToken)"/> runs.
/// </summary>
public interface IGrainContext
{
    /// <summary>The grain's key.</summary>
    string PrimaryKey { get; }

    /// <summary>The grain class.</summary>
    Type GrainType { get; }

    /// <summary>The factory for references to other grains and observers.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>The runtime's clock (injected; tests replace it).</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Deactivates the activation once the current turn ends.</summary>
    void DeactivateOnIdle();

    /// <summary>Keeps the activation from being collected for at least <paramref name="timeSpan"/>.</summary>
    /// <param name="timeSpan">How long to keep it alive.</param>
    void DelayDeactivation(TimeSpan timeSpan);

    /// <summary>Registers a timer whose callback runs as a turn of this activation.</summary>
    /// <typeparam name="TState">The callback's state.</typeparam>
    /// <param name="callback">The callback.</param>
    /// <param name="state">The state passed to the callback.</param>
    /// <param name="dueTime">Time until the first tick.</param>
    /// <param name="period">Time between ticks; <see cref="Timeout.InfiniteTimeSpan"/> for one shot.</param>
    /// <returns>The timer.</returns>
    IGrainTimer RegisterGrainTimer<TState>(
        Func<TState, CancellationToken, Task> callback,
        TState state,
        TimeSpan dueTime,
        TimeSpan period);
}
