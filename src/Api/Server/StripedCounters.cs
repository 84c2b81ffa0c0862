using System.Runtime.CompilerServices;

namespace Platform.Api.Server;

/// <summary>
/// A few counters updated from every connection's thread: each processor adds to its own cache
/// line, so counting a command costs no contended write; readers sum the stripes.
/// </summary>
internal sealed class StripedCounters
{
    // One 64-byte cache line per stripe holds up to 8 counters.
    private const int LineLongs = 8;

    private readonly long[] _cells;
    private readonly int _mask;

    /// <param name="counters">How many counters (at most 8).</param>
    public StripedCounters(int counters)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counters, LineLongs);
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount);
        _mask = stripes - 1;

        // A spare line at each end keeps the first and last stripes off neighbours' lines.
        _cells = new long[(stripes + 2) * LineLongs];
    }

    /// <summary>Adds <paramref name="amount"/> to counter <paramref name="counter"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int counter, long amount)
    {
        var stripe = (Thread.GetCurrentProcessorId() & _mask) + 1;
        Interlocked.Add(ref _cells[(stripe * LineLongs) + counter], amount);
    }

    /// <summary>The sum of counter <paramref name="counter"/> over all stripes.</summary>
    public long Read(int counter)
    {
        long total = 0;
        for (var stripe = 1; stripe <= _mask + 1; stripe++)
        {
            total += Volatile.Read(ref _cells[(stripe * LineLongs) + counter]);
        }

        return total;
    }

    /// <summary>Sets every counter to zero (CONFIG RESETSTAT).</summary>
    public void Reset()
    {
        for (var i = 0; i < _cells.Length; i++)
        {
            Volatile.Write(ref _cells[i], 0);
        }
    }
}
