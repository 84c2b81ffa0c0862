namespace Platform.Api.Server;

/// <summary>One command's figures for INFO commandstats.</summary>
internal sealed class CommandStats
{
    private const int Calls = 0;
    private const int Microseconds = 1;
    private const int RejectedCalls = 2;
    private const int FailedCalls = 3;

    private readonly StripedCounters _counters = new(4);
    private LatencyHistogram? _latency;

    /// <summary>The latencies of the calls (INFO latencystats); null before the first call.</summary>
    public LatencyHistogram? Latency => Volatile.Read(ref _latency);

    /// <summary>A call that ran; <paramref name="failed"/> when it replied with an error.</summary>
    public void RecordCall(long nanoseconds, bool failed)
    {
        var latency = Volatile.Read(ref _latency) ?? CreateLatency();
        latency.Record(nanoseconds);
        _counters.Add(Calls, 1);
        _counters.Add(Microseconds, nanoseconds / 1000);
        if (failed)
        {
            _counters.Add(FailedCalls, 1);
        }
    }

    /// <summary>A call refused before it ran (arity, NOAUTH...).</summary>
    public void RecordRejected() => _counters.Add(RejectedCalls, 1);

    /// <summary>A consistent-enough reading of the figures.</summary>
    public (long Calls, long Microseconds, long Rejected, long Failed) Read() =>
        (_counters.Read(Calls), _counters.Read(Microseconds), _counters.Read(RejectedCalls), _counters.Read(FailedCalls));

    /// <summary>CONFIG RESETSTAT.</summary>
    public void Reset()
    {
        _counters.Reset();
        Latency?.Reset();
    }

    // Most commands are never called: their histograms are made on first use.
    private LatencyHistogram CreateLatency()
    {
        Interlocked.CompareExchange(ref _latency, new LatencyHistogram(), null);
        return _latency!;
    }
}
