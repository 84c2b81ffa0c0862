using System.Collections.Concurrent;
using Platform.Silo.Tests.Grains;
using Platform.TestSupport;

namespace Platform.Silo.Tests;

/// <summary>Records notifications; optionally blocks its thread on a gate, or throws.</summary>
internal sealed class RecordingObserver : IMessageObserver
{
    private readonly ManualResetEventSlim? _gate;
    private readonly bool _throws;

    public RecordingObserver(ManualResetEventSlim? gate = null, bool throws = false)
    {
        _gate = gate;
        _throws = throws;
    }

    public ConcurrentQueue<int> Received { get; } = new();

    public EventCounter Count { get; } = new();

    public void OnMessage(int value)
    {
        _gate?.Wait(TimeSpan.FromSeconds(30));
        Received.Enqueue(value);
        Count.Increment();
        if (_throws)
        {
            throw new InvalidOperationException("observer failed");
        }
    }
}
