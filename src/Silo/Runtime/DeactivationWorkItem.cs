namespace Platform.Silo.Runtime;

/// <summary>A deactivation request queued behind the calls already waiting (used when the silo stops).</summary>
internal sealed class DeactivationWorkItem : WorkItem
{
    private readonly DeactivationReason _reason;

    public DeactivationWorkItem(DeactivationReason reason) => _reason = reason;

    public override bool FollowsGrain => false;

    public override void Run(ActivationData activation) => activation.StartDeactivation(_reason);

    public override void Fail(Exception exception)
    {
        // The activation is already gone: nothing left to deactivate.
    }
}
