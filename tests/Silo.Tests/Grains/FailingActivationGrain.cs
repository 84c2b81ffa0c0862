namespace Platform.Silo.Tests.Grains;

/// <summary>Fails in its constructor or OnActivateAsync as many times as the probe says.</summary>
public sealed class FailingActivationGrain : Grain, IFailingActivationGrain
{
    private readonly TestProbe _probe;
    private int _instanceId;

    public FailingActivationGrain(TestProbe probe)
    {
        if (probe.ShouldFail("constructor"))
        {
            throw new InvalidOperationException("constructor failed");
        }

        _probe = probe;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_probe.ShouldFail("activate"))
        {
            throw new InvalidOperationException("activation failed");
        }

        if (_probe.ShouldFail("activate-after-gate"))
        {
            await _probe.Gate("activation").Task;
            throw new InvalidOperationException("activation failed later");
        }

        _instanceId = _probe.NextInstanceId();
    }

    public Task<int> GetInstanceId() => Task.FromResult(_instanceId);
}
