namespace Platform.Bench.FanOut;

/// <summary>Publish-to-receive latencies in microseconds: log-linear buckets (16 per power of two), thread-safe merge.</summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 16;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public void Record(long microseconds)
    {
        _counts[Index(Math.Max(0, microseconds))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        lock (this)
        {
            for (var i = 0; i < _counts.Length; i++)
            {
                _counts[i] += other._counts[i];
            }

            Count += other.Count;
        }
    }

    public double Percentile(double percentile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var target = (long)Math.Ceiling(Count * percentile / 100.0);
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
        var shift = power - 4;
        var sub = (int)((value >> shift) & (SubBuckets - 1));
        return ((power - 3) * SubBuckets) + sub;
    }

    private static double UpperBound(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var power = (index / SubBuckets) + 3;
        var sub = index % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << (power - 4)) - 1;
    }
}
