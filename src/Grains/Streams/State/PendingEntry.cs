namespace Platform.Grains.Streams.State;

/// <summary>An entry delivered to a consumer and not yet acknowledged (Redis's NACK).</summary>
internal sealed class PendingEntry(StreamId id, Consumer owner, long deliveryTimeMs, long deliveryCount)
{
    /// <summary>The entry.</summary>
    public StreamId Id { get; private set; } = id;

    /// <summary>The consumer it was last delivered to.</summary>
    public Consumer Owner { get; set; } = owner;

    /// <summary>When it was last delivered (Unix ms).</summary>
    public long DeliveryTimeMs { get; set; } = deliveryTimeMs;

    /// <summary>How many times it was delivered.</summary>
    public long DeliveryCount { get; set; } = deliveryCount;

    /// <summary>A stand-in to look an ID up in a sorted set of entries; <see cref="Retarget"/> reuses it.</summary>
    public static PendingEntry Probe(StreamId id) => new(id, null!, 0, 0);

    /// <summary>Points a probe at another ID.</summary>
    public PendingEntry Retarget(StreamId id)
    {
        Id = id;
        return this;
    }
}

/// <summary>Orders pending entries by ID (a pending list is a sorted set of them).</summary>
internal sealed class PendingOrder : IComparer<PendingEntry>
{
    public static readonly PendingOrder Instance = new();

    public int Compare(PendingEntry? x, PendingEntry? y) => x!.Id.CompareTo(y!.Id);
}
