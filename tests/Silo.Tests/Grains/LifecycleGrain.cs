namespace Platform.Silo.Tests.Grains;

public sealed class LifecycleGrain : Grain, ILifecycleGrain
{
    private readonly TestProbe _probe;
    private int _instanceId;
    private string? _deactivationGate;

    public LifecycleGrain(TestProbe probe) => _probe = probe;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _instanceId = _probe.NextInstanceId();
        _probe.Activations.Increment();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.DeactivationReasons.Enqueue(reason);
        _probe.DeactivationsStarted.Increment();
        if (_deactivationGate is not null)
        {
            await _probe.Gate(_deactivationGate).Task;
        }

        _probe.Deactivations.Increment();
    }

    public ValueTask<int> GetInstanceId() => new(_instanceId);

    public Task KeepAlive(TimeSpan duration)
    {
        DelayDeactivation(duration);
        return Task.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task HoldDeactivation(string gate)
    {
        _deactivationGate = gate;
        return Task.CompletedTask;
    }
}
