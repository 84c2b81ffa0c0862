namespace Platform.Silo.Storage;

/// <summary>
/// Shapes a batch for a relational store: consecutive appends of one grain become one journal row
/// (a hot stream's thousand XADDs in a commit are one insert), never merged across a snapshot or a
/// delete of the same grain.
/// </summary>
internal static class OperationBatch
{
    /// <summary>The batch with runs of appends merged.</summary>
    public static List<StorageOperation> Coalesce(IReadOnlyList<StorageOperation> batch)
    {
        var result = new List<StorageOperation>(batch.Count);

        // The index in 'result' of each grain's open run of appends, and the parts of that run.
        var open = new Dictionary<GrainName, (int Index, List<byte[]> Parts)>();
        foreach (var operation in batch)
        {
            var grain = operation.Grain;
            if (operation is AppendRecords append)
            {
                if (open.TryGetValue(grain, out var run))
                {
                    run.Parts.Add(append.Records);
                    continue;
                }

                open[grain] = (result.Count, [append.Records]);
                result.Add(append);
                continue;
            }

            Close(grain);
            result.Add(operation);
        }

        foreach (var grain in open.Keys.ToList())
        {
            Close(grain);
        }

        return result;

        void Close(GrainName grain)
        {
            if (open.Remove(grain, out var run) && run.Parts.Count > 1)
            {
                var first = (AppendRecords)result[run.Index];
                var merged = new byte[run.Parts.Sum(p => p.Length)];
                var offset = 0;
                foreach (var part in run.Parts)
                {
                    part.CopyTo(merged, offset);
                    offset += part.Length;
                }

                result[run.Index] = first with { Records = merged };
            }
        }
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
