using System.Runtime.InteropServices;

namespace Platform.Silo.Storage;

/// <summary>
/// Shapes a batch for a relational store: consecutive appends of one grain become one journal run
/// (a hot stream's thousand XADDs in a commit are one run), never merged across a snapshot or a
/// delete of the same grain. One instance serves one store's commits, one at a time: what it
/// needs while coalescing is kept from commit to commit, so that a commit allocates only its
/// result and the merged records. A dictionary and a list per grain made anew for each commit
/// were a quarter of the bytes the server allocated under XADD -P 16 with appendfsync always.
/// The result is the caller's: kept here, a SAVE's snapshots of every stream would have stayed
/// in memory until the next commit.
/// </summary>
internal sealed class OperationBatch
{
    // Each grain's open run of appends: where it is in the result, and its first and last part.
    private readonly Dictionary<GrainName, (int Index, int First, int Last)> _open = [];

    // The records of open runs' appends, each with the index of the next part of its run (-1 at the end).
    private readonly List<(byte[] Records, int Next)> _parts = [];

    /// <summary>The batch with runs of appends merged.</summary>
    public List<StorageOperation> Coalesce(IReadOnlyList<StorageOperation> batch)
    {
        var result = new List<StorageOperation>(batch.Count);
        foreach (var operation in batch)
        {
            var grain = operation.Grain;
            if (operation is AppendRecords append)
            {
                ref var run = ref CollectionsMarshal.GetValueRefOrAddDefault(_open, grain, out var exists);
                if (exists)
                {
                    _parts[run.Last] = (_parts[run.Last].Records, _parts.Count);
                    run.Last = _parts.Count;
                }
                else
                {
                    run = (result.Count, _parts.Count, _parts.Count);
                    result.Add(append);
                }

                _parts.Add((append.Records, -1));
                continue;
            }

            if (_open.Remove(grain, out var closed))
            {
                Merge(result, closed);
            }

            result.Add(operation);
        }

        foreach (var run in _open.Values)
        {
            Merge(result, run);
        }

        _open.Clear();
        _parts.Clear();
        return result;
    }

    private void Merge(List<StorageOperation> result, (int Index, int First, int Last) run)
    {
        if (run.First == run.Last)
        {
            return;
        }

        var length = 0;
        for (var part = run.First; part >= 0; part = _parts[part].Next)
        {
            length += _parts[part].Records.Length;
        }

        var merged = new byte[length];
        var offset = 0;
        for (var part = run.First; part >= 0; part = _parts[part].Next)
        {
            var records = _parts[part].Records;
            records.CopyTo(merged, offset);
            offset += records.Length;
        }

        result[run.Index] = (AppendRecords)result[run.Index] with { Records = merged };
    }

    /// <summary>
    /// The first key greater than every key starting with <paramref name="prefix"/> (bytes); null
    /// when there is none (an empty or all-0xff prefix: every longer key of 0xff bytes starts with it).
    /// </summary>
    public static byte[]? PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xff)
            {
                var end = prefix[..(i + 1)];
                end[i]++;
                return end;
            }
        }

        return null;
    }
}
