namespace Platform.Grains.Streams.State;

/// <summary>
/// A consumer group: where it has read to, its logical read counter, the entries delivered and
/// not acknowledged (each owned by one consumer), and its consumers.
/// </summary>
internal sealed class ConsumerGroup(string name, StreamId lastDeliveredId, long entriesRead)
{
    /// <summary>Redis's SCG_INVALID_ENTRIES_READ: the read counter is not known.</summary>
    public const long UnknownEntriesRead = -1;

    /// <summary>The group's name.</summary>
    public string Name { get; } = name;

    /// <summary>The last ID delivered to the group.</summary>
    public StreamId LastDeliveredId { get; set; } = lastDeliveredId;

    /// <summary>How many entries the group has read (its logical counter), or <see cref="UnknownEntriesRead"/>.</summary>
    public long EntriesRead { get; set; } = entriesRead;

    /// <summary>Every pending entry of the group.</summary>
    public PendingList Pending { get; } = new();

    /// <summary>Consumers by name, in Redis's order (bytes).</summary>
    public SortedDictionary<string, Consumer> Consumers { get; } = new(StringComparer.Ordinal);

    /// <summary>The consumer called <paramref name="name"/>, made if new.</summary>
    public Consumer GetOrAddConsumer(string name, long nowMs, out bool created)
    {
        created = !Consumers.TryGetValue(name, out var consumer);
        if (created)
        {
            consumer = new Consumer(name, nowMs);
            Consumers.Add(name, consumer);
        }

        return consumer!;
    }

    /// <summary>
    /// Records a delivery of <paramref name="id"/> to <paramref name="consumer"/>: a new pending
    /// entry, or one taken over from whoever had it (XGROUP SETID can make the group deliver an
    /// entry again).
    /// </summary>
    public void Deliver(StreamId id, Consumer consumer, long nowMs)
    {
        var entry = Pending.Find(id);
        if (entry is null)
        {
            entry = new PendingEntry(id, consumer, nowMs, 1);
            Pending.Add(entry);
            consumer.Pending.Add(entry);
            return;
        }

        entry.Owner.Pending.Remove(id);
        entry.Owner = consumer;
        entry.DeliveryTimeMs = nowMs;
        entry.DeliveryCount = 1;
        consumer.Pending.Add(entry);
    }

    /// <summary>Gives a pending entry (or, with FORCE, a new one) to <paramref name="consumer"/>.</summary>
    public void Transfer(PendingEntry entry, Consumer consumer)
    {
        if (entry.Owner == consumer)
        {
            return;
        }

        entry.Owner.Pending.Remove(entry.Id);
        entry.Owner = consumer;
        consumer.Pending.Add(entry);
    }

    /// <summary>Drops a pending entry from the group and its owner.</summary>
    public bool Remove(StreamId id)
    {
        var entry = Pending.Find(id);
        if (entry is null)
        {
            return false;
        }

        Pending.Remove(id);
        entry.Owner.Pending.Remove(id);
        return true;
    }

    /// <summary>Deletes a consumer and its pending entries; returns how many it had.</summary>
    public long DeleteConsumer(string name)
    {
        if (!Consumers.Remove(name, out var consumer))
        {
            return 0;
        }

        var pending = consumer.Pending.Count;
        foreach (var entry in consumer.Pending.All)
        {
            Pending.Remove(entry.Id);
        }

        return pending;
    }
}
