namespace Platform.Bench;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (16 per power of two, so a percentile is within
/// about 6% of the truth), recorded from any thread; per-thread histograms can be merged with
/// <see cref="Add"/>. Linked into each load generator under bench/.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 16;
    private readonly long[] _counts = new long[64 * SubBuckets];
    private long _count;

    /// <summary>Latencies recorded.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Record(long microseconds)
    {
        Interlocked.Increment(ref _counts[Index(Math.Max(0, microseconds))]);
        Interlocked.Increment(ref _count);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Add(ref _counts[i], Interlocked.Read(ref other._counts[i]));
        }

        Interlocked.Add(ref _count, other.Count);
    }

    /// <summary>The latency at a percentile (50 for the median), as the upper bound of its bucket; NaN when empty.</summary>
    public double Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var target = (long)Math.Ceiling(total * percentile / 100);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
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
