using System.Numerics;

namespace Platform.Silo.Storage;

/// <summary>
/// The journal rows left dead, which commits delete oldest first: a bitmap per 4,096 consecutive
/// sequences, the bitmaps in order of their first sequence. A priority queue of single rows did
/// the same with a heap operation per row; with millions of dead rows (a thousand streams past
/// several snapshots) its cache misses took a fifth of the RESP loop's time.
/// </summary>
internal sealed class DeadRows
{
    private const int SpanBits = 12;
    private const int RowsPerSpan = 1 << SpanBits;

    private readonly SortedDictionary<long, ulong[]> _spans = [];

    /// <summary>How many rows are dead.</summary>
    public long Count { get; private set; }

    /// <summary>Notes a dead row (noting it twice is harmless).</summary>
    public void Add(long seq)
    {
        var key = seq >> SpanBits;
        if (!_spans.TryGetValue(key, out var bits))
        {
            bits = new ulong[RowsPerSpan / 64];
            _spans.Add(key, bits);
        }

        var index = (int)(seq & (RowsPerSpan - 1));
        var mask = 1UL << (index & 63);
        if ((bits[index >> 6] & mask) == 0)
        {
            bits[index >> 6] |= mask;
            Count++;
        }
    }

    /// <summary>
    /// Takes the oldest dead rows, as runs of consecutive sequences: at most <paramref name="maxRows"/>
    /// rows in at most <paramref name="maxRuns"/> runs.
    /// </summary>
    /// <param name="maxRows">How many rows to take at most.</param>
    /// <param name="maxRuns">How many runs to make at most.</param>
    /// <param name="taken">Receives every sequence taken, so that they can be put back.</param>
    public List<(long First, long Last)> TakeOldest(int maxRows, int maxRuns, List<long> taken)
    {
        // Most commits find nothing dead.
        var runs = new List<(long First, long Last)>();
        if (Count == 0)
        {
            return runs;
        }

        var emptied = new List<long>();
        var count = 0;
        var full = false;
        foreach (var (key, bits) in _spans)
        {
            for (var word = 0; word < bits.Length && !full; word++)
            {
                while (bits[word] != 0)
                {
                    var seq = (key << SpanBits) + (word * 64) + BitOperations.TrailingZeroCount(bits[word]);
                    var extends = runs.Count > 0 && runs[^1].Last == seq - 1;
                    if (count == maxRows || (!extends && runs.Count == maxRuns))
                    {
                        full = true;
                        break;
                    }

                    bits[word] &= bits[word] - 1;
                    Count--;
                    count++;
                    taken.Add(seq);
                    if (extends)
                    {
                        runs[^1] = (runs[^1].First, seq);
                    }
                    else
                    {
                        runs.Add((seq, seq));
                    }
                }
            }

            if (full)
            {
                break;
            }

            emptied.Add(key);
        }

        foreach (var key in emptied)
        {
            _spans.Remove(key);
        }

        return runs;
    }
}
