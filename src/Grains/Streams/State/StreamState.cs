using Platform.Grains.Streams.Storage;

namespace Platform.Grains.Streams.State;

/// <summary>
/// Everything a stream key holds, in one place: its entries, the IDs Redis tracks
/// (last-generated, recorded-first, max-deleted), the entries-added counter, consumer groups,
/// and the key's expiry. Grain code changes it only through these members.
/// </summary>
internal sealed class StreamState(StreamLog entries)
{
    /// <summary>An empty stream.</summary>
    public StreamState()
        : this(new StreamLog())
    {
    }

    /// <summary>The entries.</summary>
    public StreamLog Entries { get; } = entries;

    /// <summary>last-generated-id: the ID of the last entry added (or set by XSETID).</summary>
    public StreamId LastId { get; set; }

    /// <summary>recorded-first-entry-id: the first live entry's ID, 0-0 when empty.</summary>
    public StreamId FirstId { get; private set; }

    /// <summary>max-deleted-entry-id: the largest ID deleted by XDEL.</summary>
    public StreamId MaxDeletedId { get; set; }

    /// <summary>entries-added: every entry ever added.</summary>
    public long EntriesAdded { get; set; }

    /// <summary>Consumer groups by name, in Redis's order (bytes).</summary>
    public ConsumerGroups Groups { get; } = new();

    /// <summary>When the key expires (Unix ms); -1 for never.</summary>
    public long ExpiresAtMs { get; set; } = -1;

    /// <summary>Live entries.</summary>
    public long Length => Entries.Length;

    /// <summary>Appends an entry (its ID already checked to be greater than <see cref="LastId"/>).</summary>
    public void Add(StreamId id, ReadOnlySpan<ReadOnlyMemory<byte>> fieldsAndValues)
    {
        Entries.Append(id, fieldsAndValues);
        EntriesAdded++;
        LastId = id;
        if (Entries.Length == 1)
        {
            FirstId = id;
        }
    }

    /// <summary>Trims as XADD/XTRIM ask; returns the number of entries removed.</summary>
    public long Trim(TrimRequest trim)
    {
        var removed = trim.Strategy switch
        {
            TrimStrategy.MaxLength => Entries.TrimToLength(trim.MaxLength, trim.Approximate, trim.Limit),
            TrimStrategy.MinId => Entries.TrimToMinId(trim.MinId, trim.Approximate, trim.Limit),
            _ => 0,
        };
        RefreshFirstId();
        return removed;
    }

    /// <summary>XDEL: deletes entries; returns how many existed.</summary>
    public long DeleteEntries(ReadOnlySpan<StreamId> ids)
    {
        long deleted = 0;
        var firstDeleted = false;
        foreach (var id in ids)
        {
            if (!Entries.Delete(id))
            {
                continue;
            }

            firstDeleted |= id == FirstId;
            if (id > MaxDeletedId)
            {
                MaxDeletedId = id;
            }

            deleted++;
        }

        if (deleted > 0 && (Entries.Length == 0 || firstDeleted))
        {
            RefreshFirstId();
        }

        return deleted;
    }

    /// <summary>The last live entry's ID, or 0-0 (Redis's streamLastValidID).</summary>
    public StreamId LastValidId => Entries.TryGetLast(out var id) ? id : StreamId.Min;

    /// <summary>
    /// An ID's logical read counter, or <see cref="ConsumerGroup.UnknownEntriesRead"/> when it
    /// cannot be known (Redis's streamEstimateDistanceFromFirstEverEntry).
    /// </summary>
    public long EstimateEntriesRead(StreamId id)
    {
        if (EntriesAdded == 0)
        {
            return 0;
        }

        if (Length == 0 && id <= LastId)
        {
            return EntriesAdded;
        }

        var vsLast = id.CompareTo(LastId);
        if (vsLast == 0)
        {
            return EntriesAdded;
        }

        if (vsLast > 0)
        {
            return ConsumerGroup.UnknownEntriesRead;
        }

        if (MaxDeletedId.IsZero || MaxDeletedId < FirstId)
        {
            var vsFirst = id.CompareTo(FirstId);
            if (vsFirst < 0)
            {
                return EntriesAdded - Length;
            }

            if (vsFirst == 0)
            {
                return EntriesAdded - Length + 1;
            }
        }

        return ConsumerGroup.UnknownEntriesRead;
    }

    /// <summary>Whether a deleted entry may lie in [<paramref name="start"/>, <paramref name="end"/>] (streamRangeHasTombstones).</summary>
    public bool RangeHasTombstones(StreamId start, StreamId end)
    {
        if (Length == 0 || MaxDeletedId.IsZero || FirstId > MaxDeletedId)
        {
            return false;
        }

        return start <= MaxDeletedId && MaxDeletedId <= end;
    }

    /// <summary>A group's lag: entries not yet delivered to it; null when unknown.</summary>
    public long? Lag(ConsumerGroup group)
    {
        if (EntriesAdded == 0)
        {
            return 0;
        }

        if (group.EntriesRead != ConsumerGroup.UnknownEntriesRead && !RangeHasTombstones(group.LastDeliveredId, StreamId.Max))
        {
            return EntriesAdded - group.EntriesRead;
        }

        var read = EstimateEntriesRead(group.LastDeliveredId);
        return read == ConsumerGroup.UnknownEntriesRead ? null : EntriesAdded - read;
    }

    /// <summary>Moves a group's last-delivered-id forward as a delivery of <paramref name="id"/> does.</summary>
    public void AdvanceGroup(ConsumerGroup group, StreamId id)
    {
        if (id <= group.LastDeliveredId)
        {
            return;
        }

        if (group.EntriesRead != ConsumerGroup.UnknownEntriesRead && !RangeHasTombstones(id, StreamId.Max))
        {
            group.EntriesRead++;
        }
        else if (EntriesAdded > 0)
        {
            group.EntriesRead = EstimateEntriesRead(id);
        }

        group.LastDeliveredId = id;
    }

    /// <summary>Sets recorded-first-entry-id as stored.</summary>
    public void RestoreFirstId(StreamId id) => FirstId = id;

    /// <summary>
    /// MEMORY USAGE: about how many bytes the state holds. The blocks' arrays as allocated, and for
    /// each object around them (block, group, consumer, pending entry with its places in the two
    /// sorted sets that hold it) the size of its fields and headers on a 64-bit runtime.
    /// </summary>
    public long EstimateBytes()
    {
        const int State = 160, Block = 96, Group = 200, Consumer = 120, Pending = 56 + (2 * 48);
        var bytes = State + Entries.Bytes + ((long)Block * Entries.BlockCount);
        foreach (var group in Groups.Values)
        {
            bytes += Group + (2L * group.Name.Length) + ((long)Pending * group.Pending.Count);
            foreach (var consumer in group.Consumers.Values)
            {
                bytes += Consumer + (2L * consumer.Name.Length);
            }
        }

        return bytes;
    }

    private void RefreshFirstId() => FirstId = Entries.TryGetFirst(out var first) ? first : StreamId.Min;
}
