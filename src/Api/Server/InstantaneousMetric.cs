namespace Platform.Api.Server;

/// <summary>
/// A rate as Redis's trackInstantaneousMetric keeps it: sampled periodically against a
/// counter, reported as the mean of the last 16 samples.
/// </summary>
internal sealed class InstantaneousMetric
{
    private const int Samples = 16;

    private readonly Lock _lock = new();
    private readonly long[] _samples = new long[Samples];
    private int _next;
    private long _lastTime = -1;
    private long _lastValue;

    /// <summary>Records the rate since the previous sample.</summary>
    public void Sample(long timestampMilliseconds, long value)
    {
        lock (_lock)
        {
            if (_lastTime >= 0)
            {
                var elapsed = timestampMilliseconds - _lastTime;
                if (elapsed <= 0)
                {
                    return;
                }

                _samples[_next] = Math.Max(0, value - _lastValue) * 1000 / elapsed;
                _next = (_next + 1) % Samples;
            }

            _lastTime = timestampMilliseconds;
            _lastValue = value;
        }
    }

    /// <summary>The mean of the samples, per second.</summary>
    public long PerSecond
    {
        get
        {
            lock (_lock)
            {
                long sum = 0;
                foreach (var sample in _samples)
                {
                    sum += sample;
                }

                return sum / Samples;
            }
        }
    }

    /// <summary>Forgets the samples.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            Array.Clear(_samples);
            _next = 0;
            _lastTime = -1;
        }
    }
}
