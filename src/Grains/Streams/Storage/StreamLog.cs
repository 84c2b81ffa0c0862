using Platform.Grains.Serialization;

namespace Platform.Grains.Streams.Storage;

/// <summary>
/// A stream's entries: blocks in ID order (Redis's radix tree of listpacks). Finding an ID is a
/// binary search over blocks and a short scan inside one; range reads and trims touch only the
/// blocks they need.
/// </summary>
internal sealed class StreamLog
{
    private readonly List<EntryBlock> _blocks = [];

    /// <summary>Entries not deleted.</summary>
    public long Length { get; private set; }

    /// <summary>Blocks (XINFO's radix-tree-keys).</summary>
    public int BlockCount => _blocks.Count;

    /// <summary>Bytes the entries occupy.</summary>
    public long Bytes => _blocks.Sum(b => (long)b.Capacity);

    /// <summary>
    /// Appends an entry whose ID is greater than every other; in a block of its own when
    /// <paramref name="startsBlock"/> (RESTORE keeps the nodes of its payload).
    /// </summary>
    public void Append(StreamId id, ReadOnlySpan<ReadOnlyMemory<byte>> fieldsAndValues, bool startsBlock = false)
    {
        long raw = 0;
        foreach (var part in fieldsAndValues)
        {
            raw += part.Length;
        }

        if (!startsBlock && _blocks.Count > 0 && _blocks[^1].CanAppend(raw))
        {
            _blocks[^1].Append(id, fieldsAndValues);
        }
        else
        {
            EntryBlock? last = null;
            if (_blocks.Count > 0)
            {
                last = _blocks[^1];
                last.Seal();
            }

            _blocks.Add(EntryBlock.Create(id, fieldsAndValues, last));
        }

        Length++;
    }

    /// <summary>Deletes one entry; a block left without live entries goes, as Redis frees the node.</summary>
    public bool Delete(StreamId id)
    {
        var index = FindBlock(id);
        if (index < 0 || !_blocks[index].TryDelete(id))
        {
            return false;
        }

        Length--;
        if (_blocks[index].Live == 0)
        {
            _blocks.RemoveAt(index);
        }

        return true;
    }

    /// <summary>Whether a live entry has this ID.</summary>
    public bool Contains(StreamId id)
    {
        var index = FindBlock(id);
        if (index < 0)
        {
            return false;
        }

        var reader = _blocks[index].GetReader();
        while (reader.MoveNext())
        {
            if (reader.Id >= id)
            {
                return reader.Id == id && !reader.IsDeleted;
            }
        }

        return false;
    }

    /// <summary>
    /// Copies the live entries with IDs in [<paramref name="start"/>, <paramref name="end"/>], at
    /// most <paramref name="count"/> (0: all), in order or reversed.
    /// </summary>
    /// <returns>How many were copied.</returns>
    public int Range(StreamId start, StreamId end, long count, bool reverse, StreamEntries output)
    {
        if (start > end || _blocks.Count == 0)
        {
            return 0;
        }

        return reverse ? RangeReverse(start, end, count, output) : RangeForward(start, end, count, output);
    }

    /// <summary>The first live entry's ID, if any.</summary>
    public bool TryGetFirst(out StreamId id)
    {
        foreach (var block in _blocks)
        {
            var reader = block.GetReader();
            while (reader.MoveNext())
            {
                if (!reader.IsDeleted)
                {
                    id = reader.Id;
                    return true;
                }
            }
        }

        id = default;
        return false;
    }

    /// <summary>The last live entry's ID, if any (Redis's streamLastValidID).</summary>
    public bool TryGetLast(out StreamId id)
    {
        var found = new StreamEntries(1);
        if (_blocks.Count > 0 && RangeReverse(StreamId.Min, StreamId.Max, 1, found) == 1)
        {
            id = found.Id(0);
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>
    /// MAXLEN trimming as Redis's streamTrim does it: whole blocks from the front while what
    /// remains is long enough; then, unless approximate, entries flagged deleted in the next block.
    /// </summary>
    public long TrimToLength(long maxLength, bool approximate, long limit)
    {
        long deleted = 0;
        while (_blocks.Count > 0 && Length > maxLength)
        {
            var block = _blocks[0];
            if (limit > 0 && deleted + block.Live > limit)
            {
                break;
            }

            if (Length - block.Live >= maxLength)
            {
                _blocks.RemoveAt(0);
                Length -= block.Live;
                deleted += block.Live;
                continue;
            }

            if (!approximate)
            {
                var excess = Length - maxLength;
                var flagged = block.DeleteWhile((_, done) => done < excess);
                Length -= flagged;
                deleted += flagged;
            }

            break;
        }

        return deleted;
    }

    /// <summary>MINID trimming as Redis's streamTrim does it.</summary>
    public long TrimToMinId(StreamId minId, bool approximate, long limit)
    {
        long deleted = 0;
        while (_blocks.Count > 0)
        {
            var block = _blocks[0];
            if (limit > 0 && deleted + block.Live > limit)
            {
                break;
            }

            if (block.LastId < minId)
            {
                _blocks.RemoveAt(0);
                Length -= block.Live;
                deleted += block.Live;
                continue;
            }

            if (!approximate)
            {
                var flagged = block.DeleteWhile((id, _) => id < minId);
                Length -= flagged;
                deleted += flagged;
            }

            break;
        }

        return deleted;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        _blocks.Clear();
        Length = 0;
    }

    /// <summary>Writes the entries in a form <see cref="Read"/> takes back.</summary>
    public void WriteTo(ByteWriter writer)
    {
        writer.WriteVarint((ulong)Length);
        writer.WriteVarint((ulong)_blocks.Count);
        foreach (var block in _blocks)
        {
            block.WriteTo(writer);
        }
    }

    /// <summary>Rebuilds entries written by <see cref="WriteTo"/>.</summary>
    public static StreamLog Read(ref SpanReader reader)
    {
        var log = new StreamLog { Length = (long)reader.ReadVarint() };
        var blocks = (int)reader.ReadVarint();
        for (var i = 0; i < blocks; i++)
        {
            log._blocks.Add(EntryBlock.Read(ref reader));
        }

        return log;
    }

    // The index of the last block whose first ID is at most 'id', or -1.
    private int FindBlock(StreamId id)
    {
        int low = 0, high = _blocks.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (_blocks[middle].MasterId <= id)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    /// <summary>Each block's live entries, in order, leaving out blocks with none (DUMP's nodes).</summary>
    public IEnumerable<StreamEntries> Blocks()
    {
        foreach (var block in _blocks)
        {
            var entries = LiveEntries(block);
            if (entries.Count > 0)
            {
                yield return entries;
            }
        }
    }

    private static StreamEntries LiveEntries(EntryBlock block)
    {
        var entries = new StreamEntries(EntryBlock.MaxEntries);
        var reader = block.GetReader();
        while (reader.MoveNext())
        {
            if (!reader.IsDeleted)
            {
                reader.CopyTo(entries);
            }
        }

        return entries;
    }

    private int RangeForward(StreamId start, StreamId end, long count, StreamEntries output)
    {
        var copied = 0;
        for (var b = Math.Max(0, FindBlock(start)); b < _blocks.Count; b++)
        {
            var reader = _blocks[b].GetReader();
            while (reader.MoveNext())
            {
                if (reader.Id < start || reader.IsDeleted)
                {
                    continue;
                }

                if (reader.Id > end)
                {
                    return copied;
                }

                reader.CopyTo(output);
                if (++copied == count)
                {
                    return copied;
                }
            }
        }

        return copied;
    }

    private int RangeReverse(StreamId start, StreamId end, long count, StreamEntries output)
    {
        var copied = 0;
        // A block never holds more than MaxEntries entries, deleted ones included.
        Span<int> offsets = stackalloc int[EntryBlock.MaxEntries];
        for (var b = FindBlock(end); b >= 0; b--)
        {
            // Entries are encoded forwards: note where each starts, then visit them backwards.
            var block = _blocks[b];
            var scan = block.GetReader();
            var entries = 0;
            while (scan.MoveNext())
            {
                offsets[entries++] = scan.Offset;
            }

            for (var i = entries - 1; i >= 0; i--)
            {
                var reader = block.GetReader();
                reader.Seek(offsets[i]);
                if (reader.Id > end || reader.IsDeleted)
                {
                    continue;
                }

                if (reader.Id < start)
                {
                    return copied;
                }

                reader.CopyTo(output);
                if (++copied == count)
                {
                    return copied;
                }
            }
        }

        return copied;
    }
}
