namespace Platform.Silo.Tests.Grains;

public sealed class GateGrain : Grain, IGateGrain
{
    private readonly TestProbe _probe;
    private readonly List<int> _recorded = [];

    public GateGrain(TestProbe probe) => _probe = probe;

    public Task<bool> BlockUntilSet(string name)
    {
        _probe.Blocked.Increment();
        return Task.FromResult(_probe.Event(name).Wait(TimeSpan.FromSeconds(10)));
    }

    public Task Set(string name)
    {
        _probe.Event(name).Set();
        return Task.CompletedTask;
    }

    public Task WaitForGate(string name) => _probe.Gate(name).Task;

    public Task Record(int value)
    {
        _recorded.Add(value);
        return Task.CompletedTask;
    }

    public Task<int[]> GetRecorded() => Task.FromResult(_recorded.ToArray());
}
