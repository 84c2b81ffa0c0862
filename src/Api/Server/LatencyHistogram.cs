using System.Runtime.CompilerServices;

namespace Platform.Api.Server;

/// <summary>
/// A command's latencies for INFO latencystats: log-linear buckets (16 per power of two, so
/// about 6% resolution) of nanoseconds, one set of buckets per processor so recording is an
/// uncontended increment.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 4;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Powers = 42;
    private const int Buckets = Powers * SubBuckets;

    private readonly long[] _counts;
    private readonly int _mask;

    public LatencyHistogram()
    {
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);
        _mask = stripes - 1;
        _counts = new long[stripes * Buckets];
    }

    /// <summary>Counts one latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long nanoseconds)
    {
        var stripe = Thread.GetCurrentProcessorId() & _mask;
        Interlocked.Increment(ref _counts[(stripe * Buckets) + Index(nanoseconds)]);
    }

    /// <summary>The latencies, in microseconds, at each percentile (50 for the median).</summary>
    public double[] Percentiles(ReadOnlySpan<double> percentiles)
    {
        var merged = new long[Buckets];
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Volatile.Read(ref _counts[i]);
            merged[i % Buckets] += count;
            total += count;
        }

        var result = new double[percentiles.Length];
        for (var p = 0; p < percentiles.Length; p++)
        {
            var target = Math.Max(1, (long)Math.Ceiling(total * percentiles[p] / 100.0));
            long seen = 0;
            for (var bucket = 0; bucket < Buckets; bucket++)
            {
                seen += merged[bucket];
                if (seen >= target)
                {
                    result[p] = UpperBound(bucket) / 1000.0;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Forgets every latency (CONFIG RESETSTAT).</summary>
    public void Reset() => Array.Clear(_counts);

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)Math.Max(0, value);
        }

        var power = 63 - (int)long.LeadingZeroCount(value);
        var index = ((power - SubBucketBits + 1) * SubBuckets) + (int)((value >> (power - SubBucketBits)) & (SubBuckets - 1));
        return Math.Min(index, Buckets - 1);
    }

    private static long UpperBound(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var power = (index / SubBuckets) + SubBucketBits - 1;
        return ((long)(SubBuckets + (index % SubBuckets) + 1) << (power - SubBucketBits)) - 1;
    }
}
