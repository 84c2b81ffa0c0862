using System.Runtime.InteropServices;

namespace Platform.Silo.Storage;

/// <summary>
/// Shapes a batch for a relational store: consecutive appends of one grain become one journal run
/// (a hot stream's thousand XADDs in a commit are one run), never merged across a snapshot or a
/// delete of the same grain. One instance serves one store's commits, one at a time: what it
/// needs is kept from commit to commit, so that a commit allocates only the merged records. A
/// dictionary and a list per grain made anew for each commit were a quarter of the bytes the
/// server allocated under XADD -P 16 with appendfsync always.
/// </summary>
internal sealed class OperationBatch
{
    private readonly List<StorageOperation> _result = [];

    // Each grain's open run of appends: where it is in the result, and its first and last part.
    private readonly Dictionary<GrainName, (int Index, int First, int Last)> _open = [];

    // The records of open runs' appends, each with the index of the next part of its run (-1 at the end).
    private readonly List<(byte[] Records, int Next)> _parts = [];

    /// <summary>The batch with runs of appends merged; valid until the next call.</summary>
    public IReadOnlyList<StorageOperation> Coalesce(IReadOnlyList<StorageOperation> batch)
    {
        _result.Clear();
        _parts.Clear();
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
                    run = (_result.Count, _parts.Count, _parts.Count);
                    _result.Add(append);
                }

                _parts.Add((append.Records, -1));
                continue;
            }

            if (_open.Remove(grain, out var closed))
            {
                Merge(closed);
            }

            _result.Add(operation);
        }

        foreach (var run in _open.Values)
        {
            Merge(run);
        }

        _open.Clear();
        return _result;
    }

    private void Merge((int Index, int First, int Last) run)
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

        _result[run.Index] = (AppendRecords)_result[run.Index] with { Records = merged };
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
