using Platform.Grains.Keyspace;
using Platform.Grains.Streams.State;

namespace Platform.Grains.Streams;

/// <summary>Consumer groups: creation, reads, acknowledgements, pending lists, claims.</summary>
internal sealed partial class StreamGrain
{
    /// <inheritdoc/>
    public ValueTask<StreamError> CreateGroupAsync(string group, StreamId? id, bool makeStream, long entriesRead)
    {
        var state = Current(NowMs);
        if (state is null)
        {
            if (!makeStream)
            {
                return Result(StreamError.NoKey);
            }

            state = Create();
            events.Notify(KeyspaceEventClass.New, "new", _database, _name);
        }

        if (state.Groups.ContainsKey(group))
        {
            return Result(StreamError.GroupExists);
        }

        Apply(new StreamRecord.GroupCreated(group, id ?? state.LastId, entriesRead));
        events.Notify(KeyspaceEventClass.Stream, "xgroup-create", _database, _name);
        return Result(StreamError.None);
    }

    /// <inheritdoc/>
    public ValueTask<StreamError> SetGroupIdAsync(string group, StreamId? id, long entriesRead)
    {
        if (!TryGetGroup(group, out var state, out _, out var error))
        {
            return Result(error);
        }

        Apply(new StreamRecord.GroupIdSet(group, id ?? state.LastId, entriesRead));
        events.Notify(KeyspaceEventClass.Stream, "xgroup-setid", _database, _name);
        return Result(StreamError.None);
    }

    /// <inheritdoc/>
    public ValueTask<(StreamError Error, long Destroyed)> DestroyGroupAsync(string group)
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result((StreamError.NoKey, 0L));
        }

        if (!state.Groups.ContainsKey(group))
        {
            return Result((StreamError.None, 0L));
        }

        Apply(new StreamRecord.GroupDestroyed(group));
        events.Notify(KeyspaceEventClass.Stream, "xgroup-destroy", _database, _name);
        FailGroupWaiters(StreamError.GroupDestroyedWhileBlocked, group);
        return Result((StreamError.None, 1L));
    }

    /// <inheritdoc/>
    public ValueTask<(StreamError Error, long Created)> CreateConsumerAsync(string group, string consumer)
    {
        if (!TryGetGroup(group, out _, out var found, out var error))
        {
            return Result((error, 0L));
        }

        var now = NowMs;
        found.GetOrAddConsumer(consumer, now, out var created);
        if (created)
        {
            ConsumerCreated(found, consumer, now);
        }

        return Result((StreamError.None, created ? 1L : 0L));
    }

    /// <inheritdoc/>
    public ValueTask<(StreamError Error, long Pending)> DeleteConsumerAsync(string group, string consumer)
    {
        if (!TryGetGroup(group, out _, out var found, out var error))
        {
            return Result((error, 0L));
        }

        if (!found.Consumers.ContainsKey(consumer))
        {
            return Result((StreamError.None, 0L));
        }

        var pending = found.DeleteConsumer(consumer);
        Store(new StreamRecord.ConsumerDeleted(group, consumer));
        events.Notify(KeyspaceEventClass.Stream, "xgroup-delconsumer", _database, _name);
        return Result((StreamError.None, pending));
    }

    /// <inheritdoc/>
    public ValueTask<bool> HasGroupAsync(string group) => Result(Current(NowMs)?.Groups.ContainsKey(group) ?? false);

    /// <inheritdoc/>
    public ValueTask<ReadGroupResult> ReadGroupAsync(ReadGroupRequest request)
    {
        var now = NowMs;
        if (!TryGetGroup(request.Group, out var state, out var group, out _))
        {
            return Result(new ReadGroupResult(StreamError.NoGroup, null));
        }

        if (request.NewEntries && !(state.Length > 0 && state.LastValidId > group.LastDeliveredId))
        {
            // Nothing new: not served (the reader blocks, or the stream is left out of the reply).
            return Result(new ReadGroupResult(StreamError.None, null));
        }

        var consumer = ConsumerFor(group, request.Consumer, now);
        var entries = new StreamEntries();
        if (request.NewEntries)
        {
            DeliverNew(state, group, consumer, request.Count, request.NoAck, now, entries);
        }
        else
        {
            ReadHistory(state, group, consumer, request.After, request.Count, now, entries);
        }

        return Result(new ReadGroupResult(StreamError.None, entries));
    }

    /// <inheritdoc/>
    public ValueTask<long> AckAsync(string group, StreamId[] ids)
    {
        if (!TryGetGroup(group, out _, out var found, out _))
        {
            return Result(0L);
        }

        long acknowledged = 0;
        foreach (var id in ids)
        {
            if (found.Remove(id))
            {
                acknowledged++;
            }
        }

        if (acknowledged > 0)
        {
            Store(new StreamRecord.Acked(group, ids));
        }

        return Result(acknowledged);
    }

    /// <inheritdoc/>
    public ValueTask<PendingSummary> PendingSummaryAsync(string group)
    {
        if (!TryGetGroup(group, out _, out var found, out _))
        {
            return Result(new PendingSummary(StreamError.NoGroup, 0, null, null, []));
        }

        var consumers = found.Consumers.Values
            .Where(c => c.Pending.Count > 0)
            .Select(c => KeyValuePair.Create(c.Name, (long)c.Pending.Count))
            .ToArray();
        return Result(new PendingSummary(StreamError.None, found.Pending.Count, found.Pending.Min?.Id, found.Pending.Max?.Id, consumers));
    }

    /// <inheritdoc/>
    public ValueTask<PendingRange> PendingRangeAsync(PendingRangeRequest request)
    {
        var now = NowMs;
        if (!TryGetGroup(request.Group, out _, out var group, out _))
        {
            return Result(new PendingRange(StreamError.NoGroup, []));
        }

        PendingList source;
        if (request.Consumer is null)
        {
            source = group.Pending;
        }
        else if (group.Consumers.TryGetValue(request.Consumer, out var consumer))
        {
            source = consumer.Pending;
        }
        else
        {
            return Result(new PendingRange(StreamError.None, []));
        }

        var found = new List<PendingEntryInfo>();
        var remaining = request.Count;
        foreach (var entry in source.Between(request.Start, request.End))
        {
            if (remaining <= 0)
            {
                break;
            }

            var idle = now - entry.DeliveryTimeMs;
            if (request.MinIdleMs > 0 && idle < request.MinIdleMs)
            {
                continue;
            }

            found.Add(new PendingEntryInfo(entry.Id, entry.Owner.Name, Math.Max(0, idle), entry.DeliveryCount));
            remaining--;
        }

        return Result(new PendingRange(StreamError.None, found));
    }

    /// <inheritdoc/>
    public ValueTask<ClaimResult> ClaimAsync(ClaimRequest request)
    {
        var now = NowMs;
        if (!TryGetGroup(request.Group, out var state, out var group, out _))
        {
            return Result(new ClaimResult(StreamError.NoGroup, null));
        }

        StreamId? raisedLastId = null;
        if (request.LastId is { } lastId && lastId > group.LastDeliveredId)
        {
            group.LastDeliveredId = lastId;
            raisedLastId = lastId;
        }

        var deliveryTime = request.IdleMs >= 0 ? now - request.IdleMs : request.TimeMs >= 0 ? request.TimeMs : now;
        if (deliveryTime < 0 || deliveryTime > now)
        {
            deliveryTime = now;
        }

        var claimed = new StreamEntries();
        var removed = new List<StreamId>();
        var given = new List<StreamRecord.ClaimedEntry>();
        Consumer? consumer = null;
        foreach (var id in request.Ids)
        {
            var entry = group.Pending.Find(id);
            if (!state.Entries.Contains(id))
            {
                // The entry is gone: it leaves the pending list.
                if (group.Remove(id))
                {
                    removed.Add(id);
                }

                continue;
            }

            var forced = false;
            if (entry is null)
            {
                if (!request.Force)
                {
                    continue;
                }

                consumer ??= ConsumerFor(group, request.Consumer, now);
                entry = new PendingEntry(id, consumer, now, 1);
                group.Pending.Add(entry);
                consumer.Pending.Add(entry);
                forced = true;
            }

            if (!forced && request.MinIdleMs > 0 && now - entry.DeliveryTimeMs < request.MinIdleMs)
            {
                continue;
            }

            consumer ??= ConsumerFor(group, request.Consumer, now);
            group.Transfer(entry, consumer);
            entry.DeliveryTimeMs = deliveryTime;
            if (request.RetryCount >= 0)
            {
                entry.DeliveryCount = request.RetryCount;
            }
            else if (!request.JustId)
            {
                entry.DeliveryCount++;
            }

            CopyEntry(state, id, request.JustId, claimed);
            given.Add(new StreamRecord.ClaimedEntry(id, entry.DeliveryTimeMs, entry.DeliveryCount));
        }

        if (raisedLastId is not null || removed.Count > 0 || given.Count > 0)
        {
            Store(new StreamRecord.Claimed(request.Group, request.Consumer, now, raisedLastId, [.. removed], [.. given]));
        }

        return Result(new ClaimResult(StreamError.None, claimed));
    }

    /// <inheritdoc/>
    public ValueTask<AutoClaimResult> AutoClaimAsync(AutoClaimRequest request)
    {
        var now = NowMs;
        if (!TryGetGroup(request.Group, out var state, out var group, out _))
        {
            return Result(new AutoClaimResult(StreamError.NoGroup, default, null, []));
        }

        // Redis examines at most ten pending entries per entry it may claim.
        var count = request.Count;
        var attempts = count * 10;
        var window = group.Pending.From(request.Start).Take((int)Math.Min(attempts + 1, int.MaxValue)).ToList();
        var claimed = new StreamEntries();
        var deleted = new List<StreamId>();
        var given = new List<StreamRecord.ClaimedEntry>();
        Consumer? consumer = null;
        var examined = 0;
        while (examined < window.Count && attempts > 0 && count > 0)
        {
            attempts--;
            var entry = window[examined++];
            if (!state.Entries.Contains(entry.Id))
            {
                group.Remove(entry.Id);
                deleted.Add(entry.Id);
                count--;
                continue;
            }

            if (request.MinIdleMs > 0 && now - entry.DeliveryTimeMs < request.MinIdleMs)
            {
                continue;
            }

            consumer ??= ConsumerFor(group, request.Consumer, now);
            group.Transfer(entry, consumer);
            entry.DeliveryTimeMs = now;
            if (!request.JustId)
            {
                entry.DeliveryCount++;
            }

            CopyEntry(state, entry.Id, request.JustId, claimed);
            given.Add(new StreamRecord.ClaimedEntry(entry.Id, entry.DeliveryTimeMs, entry.DeliveryCount));
            count--;
        }

        if (given.Count > 0 || deleted.Count > 0)
        {
            Store(new StreamRecord.Claimed(request.Group, request.Consumer, now, null, [.. deleted], [.. given]));
        }

        var next = examined < window.Count ? window[examined].Id : StreamId.Min;
        return Result(new AutoClaimResult(StreamError.None, next, claimed, [.. deleted]));
    }

    private bool TryGetGroup(string name, out StreamState state, out ConsumerGroup group, out StreamError error)
    {
        state = Current(NowMs)!;
        group = null!;
        if (state is null)
        {
            error = StreamError.NoKey;
            return false;
        }

        if (!state.Groups.TryGetValue(name, out group!))
        {
            error = StreamError.NoGroup;
            return false;
        }

        error = StreamError.None;
        return true;
    }

    // Looks a consumer up (refreshing when it was last seen) or makes it.
    private Consumer ConsumerFor(ConsumerGroup group, string name, long now)
    {
        var consumer = group.GetOrAddConsumer(name, now, out var created);
        consumer.SeenTimeMs = now;
        if (created)
        {
            ConsumerCreated(group, name, now);
        }

        return consumer;
    }

    private void ConsumerCreated(ConsumerGroup group, string consumer, long now)
    {
        Store(new StreamRecord.ConsumerCreated(group.Name, consumer, now));
        events.Notify(KeyspaceEventClass.Stream, "xgroup-createconsumer", _database, _name);
    }

    // XREADGROUP's ">": entries after the group's last-delivered-id, each now pending for the
    // consumer unless NOACK.
    private void DeliverNew(StreamState state, ConsumerGroup group, Consumer consumer, long count, bool noAck, long now, StreamEntries entries)
    {
        group.LastDeliveredId.TryIncrement(out var start);
        state.Entries.Range(start, StreamId.Max, count, reverse: false, entries);
        var ids = new StreamId[entries.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = entries.Id(i);
        }

        Apply(new StreamRecord.Delivered(group.Name, consumer.Name, now, noAck, ids));
    }

    // XREADGROUP with an ID: the consumer's own pending entries after it, delivered again; one
    // whose entry was deleted is listed with no fields.
    private void ReadHistory(StreamState state, ConsumerGroup group, Consumer consumer, StreamId after, long count, long now, StreamEntries entries)
    {
        var redelivered = new List<StreamId>();
        after.TryIncrement(out var start);
        foreach (var entry in consumer.Pending.From(start))
        {
            if (count > 0 && entries.Count >= count)
            {
                break;
            }

            if (state.Entries.Range(entry.Id, entry.Id, 1, reverse: false, entries) == 0)
            {
                entries.AddMissing(entry.Id);
                continue;
            }

            redelivered.Add(entry.Id);
        }

        Apply(new StreamRecord.Redelivered(group.Name, consumer.Name, now, [.. redelivered]));
    }

    private static void CopyEntry(StreamState state, StreamId id, bool justId, StreamEntries output)
    {
        if (justId)
        {
            output.AddMissing(id);
        }
        else
        {
            state.Entries.Range(id, id, 1, reverse: false, output);
        }
    }
}
