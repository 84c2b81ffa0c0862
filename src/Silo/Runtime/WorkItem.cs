namespace Platform.Silo.Runtime;

/// <summary>Something that runs as a turn of an activation: a queued call, a timer tick, a deactivation request.</summary>
internal abstract class WorkItem
{
    /// <summary>
    /// Whether the item moves to the grain's next activation when this one is deactivated (calls do; timer ticks and
    /// deactivation requests die with their activation).
    /// </summary>
    public virtual bool FollowsGrain => true;

    /// <summary>Runs the item. The caller holds the turn; the item ends it with <see cref="ActivationData.ExitTurn"/>.</summary>
    /// <param name="activation">The activation whose turn this is.</param>
    public abstract void Run(ActivationData activation);

    /// <summary>The item cannot run (activation failed, silo stopping, or it died with its activation).</summary>
    /// <param name="exception">Why.</param>
    public abstract void Fail(Exception exception);
}
