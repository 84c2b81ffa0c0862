using System.Collections.Concurrent;
using Platform.TestSupport;

namespace Platform.Silo.Tests.Grains;

/// <summary>A singleton the test grains report to and take instructions from; one per test silo.</summary>
public sealed class TestProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, ManualResetEventSlim> _events = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private int _instances;

    public EventCounter Activations { get; } = new();

    public EventCounter Deactivations { get; } = new();

    public EventCounter DeactivationsStarted { get; } = new();

    public EventCounter Ticks { get; } = new();

    public EventCounter Blocked { get; } = new();

    public ConcurrentQueue<DeactivationReason> DeactivationReasons { get; } = new();

    public int Overlaps;

    /// <summary>An awaitable gate (a grain's turn awaits it: the turn spans the await).</summary>
    public TaskCompletionSource Gate(string name) =>
        _gates.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>A blocking gate (a thread waits on it).</summary>
    public ManualResetEventSlim Event(string name) => _events.GetOrAdd(name, static _ => new ManualResetEventSlim());

    public int NextInstanceId() => Interlocked.Increment(ref _instances);

    public void FailNext(string point, int count = 1) => _failures[point] = count;

    public bool ShouldFail(string point)
    {
        while (_failures.TryGetValue(point, out var remaining) && remaining > 0)
        {
            if (_failures.TryUpdate(point, remaining - 1, remaining))
            {
                return true;
            }
        }

        return false;
    }
}
