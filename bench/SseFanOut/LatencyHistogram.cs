namespace Platform.Bench.SseFanOut;

/// <summary>Latencies in microseconds: log-linear buckets (16 per power of two), recorded from any thread.</summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 16;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public void Record(long microseconds) => Interlocked.Increment(ref _counts[Index(Math.Max(0, microseconds))]);

    /// <summary>The latency at a percentile (50 for the median), as the upper bound of its bucket.</summary>
    public double Percentile(double percentile)
    {
        var total = _counts.Sum();
        if (total == 0)
        {
            return double.NaN;
        }

        var target = (long)Math.Ceiling(total * percentile / 100);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(_counts.Length - 1);
    }

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var power = 63 - (int)long.LeadingZeroCount(value);
        return Math.Min(((power - 3) * SubBuckets) + (int)((value >> (power - 4)) & (SubBuckets - 1)), (64 * SubBuckets) - 1);
    }

    private static long UpperBound(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var power = (index / SubBuckets) + 3;
        return ((long)(SubBuckets + (index % SubBuckets) + 1) << (power - 4)) - 1;
    }
}
