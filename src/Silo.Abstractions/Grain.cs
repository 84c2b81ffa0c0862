namespace Platform.Silo;

/// <summary>
/// Base class of grain classes. The runtime creates instances through the generated activator (constructors take
/// only DI services), gives each one its <see cref="IGrainContext"/>, and runs one turn at a time: grain code needs no
/// locks.
/// </summary>
public abstract class Grain : IAddressable
{
    private IGrainContext? _grainContext;

    /// <summary>The activation's context: identity, factory, clock and lifecycle controls.</summary>
    /// <exception cref="InvalidOperationException">Read from the constructor, before the runtime set it.</exception>
    public IGrainContext GrainContext => _grainContext ?? throw NoContext();

    /// <summary>The factory for references to other grains and observers.</summary>
    protected IGrainFactory GrainFactory => GrainContext.GrainFactory;

    /// <summary>The runtime's clock. Grain code reads time only from here, so tests control it.</summary>
    protected TimeProvider TimeProvider => GrainContext.TimeProvider;

    /// <summary>Returns this grain's key.</summary>
    /// <returns>The key.</returns>
    public string GetPrimaryKeyString() => GrainContext.PrimaryKey;

    /// <summary>Runs as the activation's first turn, before any call.</summary>
    /// <param name="cancellationToken">Cancelled when the silo stops.</param>
    /// <returns>A task that completes when the grain is ready for calls.</returns>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs as the activation's last turn.</summary>
    /// <param name="reason">Why the activation is deactivated.</param>
    /// <param name="cancellationToken">Not cancelled by this runtime; present for Orleans's shape.</param>
    /// <returns>A task that completes when the grain has finished.</returns>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Deactivates this activation once the current turn ends; later calls reach a fresh activation.</summary>
    protected void DeactivateOnIdle() => GrainContext.DeactivateOnIdle();

    /// <summary>Keeps this activation from being collected for at least <paramref name="timeSpan"/>.</summary>
    /// <param name="timeSpan">How long to keep it alive.</param>
    protected void DelayDeactivation(TimeSpan timeSpan) => GrainContext.DelayDeactivation(timeSpan);

    /// <summary>
    /// Registers a timer whose callback runs as a turn of this activation (never concurrently with a call). The next
    /// period starts when the callback's task completes. The timer dies with the activation.
    /// </summary>
    /// <typeparam name="TState">The callback's state.</typeparam>
    /// <param name="callback">The callback.</param>
    /// <param name="state">The state passed to the callback.</param>
    /// <param name="dueTime">Time until the first tick.</param>
    /// <param name="period">Time between ticks; <see cref="Timeout.InfiniteTimeSpan"/> for one shot.</param>
    /// <returns>The timer; dispose it to stop it.</returns>
    protected IGrainTimer RegisterGrainTimer<TState>(
        Func<TState, CancellationToken, Task> callback,
        TState state,
        TimeSpan dueTime,
        TimeSpan period) =>
        GrainContext.RegisterGrainTimer(callback, state, dueTime, period);

    /// <summary>Registers a timer without state; see <see cref="RegisterGrainTimer{TState}"/>.</summary>
    /// <param name="callback">The callback.</param>
    /// <param name="dueTime">Time until the first tick.</param>
    /// <param name="period">Time between ticks; <see cref="Timeout.InfiniteTimeSpan"/> for one shot.</param>
    /// <returns>The timer; dispose it to stop it.</returns>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return GrainContext.RegisterGrainTimer(static (cb, ct) => cb(ct), callback, dueTime, period);
    }

    /// <summary>Called by the runtime before <see cref="OnActivateAsync"/>.</summary>
    internal void SetGrainContext(IGrainContext context) => _grainContext = context;

    private static InvalidOperationException NoContext() =>
        new("The grain has no context yet: the runtime sets it after the constructor, before OnActivateAsync.");
}
