namespace Platform.Grains.Streams.State;

/// <summary>Pending entries sorted by ID: a group's whole list, or one consumer's share of it.</summary>
internal sealed class PendingList
{
    private readonly SortedSet<PendingEntry> _entries = new(PendingOrder.Instance);

    // Lookups by ID use this stand-in rather than allocating one; a grain has one turn at a time.
    private readonly PendingEntry _probe = PendingEntry.Probe(default);

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The smallest entry.</summary>
    public PendingEntry? Min => _entries.Min;

    /// <summary>The largest entry.</summary>
    public PendingEntry? Max => _entries.Max;

    /// <summary>The entry with this ID, if pending.</summary>
    public PendingEntry? Find(StreamId id) =>
        _entries.TryGetValue(_probe.Retarget(id), out var entry) ? entry : null;

    /// <summary>Adds an entry; false if one with its ID is there.</summary>
    public bool Add(PendingEntry entry) => _entries.Add(entry);

    /// <summary>Removes an entry by ID.</summary>
    public bool Remove(StreamId id) => _entries.Remove(_probe.Retarget(id));

    /// <summary>Entries with IDs from <paramref name="start"/> on, in order.</summary>
    public IEnumerable<PendingEntry> From(StreamId start) =>
        start == StreamId.Min ? _entries : Between(start, StreamId.Max);

    /// <summary>Entries with IDs in [<paramref name="start"/>, <paramref name="end"/>], in order.</summary>
    public IEnumerable<PendingEntry> Between(StreamId start, StreamId end)
    {
        if (start > end || _entries.Count == 0)
        {
            return [];
        }

        // The view keeps its bounds: fresh probes, not the shared one.
        return _entries.GetViewBetween(PendingEntry.Probe(start), PendingEntry.Probe(end));
    }

    /// <summary>All entries, in order.</summary>
    public IEnumerable<PendingEntry> All => _entries;

    /// <summary>Empties the list.</summary>
    public void Clear() => _entries.Clear();
}
