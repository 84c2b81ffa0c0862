namespace Platform.Silo.Tests.Grains;

public sealed class ThrowingGrain : Grain, IThrowingGrain
{
    private readonly TestProbe _probe;
    private int _calls;

    public ThrowingGrain(TestProbe probe) => _probe = probe;

    public Task ThrowSync(string message) => throw new InvalidOperationException(message);

    public async ValueTask<int> ThrowAsync(string message)
    {
        await Task.Yield();
        throw new ArgumentException(message);
    }

    public Task<int> Ok() => Task.FromResult(++_calls);

    public Task Hold(string gate) => _probe.Gate(gate).Task;
}
