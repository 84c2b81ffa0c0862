using Platform.Grains.Serialization;

namespace Platform.Grains.Streams.State;

/// <summary>
/// One change to a stream, small and self-contained: the grain applies it to its state and hands
/// it to the journal; reactivation replays the journal after the latest snapshot through the same
/// <see cref="Apply"/>, so memory and storage cannot disagree. Times are in the record, so replay
/// is exact.
/// </summary>
internal abstract record StreamRecord
{
    private enum Kind : byte
    {
        Added = 1,
        Trimmed,
        EntriesDeleted,
        IdSet,
        GroupCreated,
        GroupIdSet,
        GroupDestroyed,
        ConsumerCreated,
        ConsumerDeleted,
        Delivered,
        Redelivered,
        Acked,
        Claimed,
    }

    /// <summary>
    /// Whether the record changes the stream's entries, which is what Redis 7.0 signals to WATCH
    /// (XADD, XTRIM, XDEL); consumer-group changes and XSETID leave watchers' transactions alone.
    /// </summary>
    public virtual bool ChangesEntries => false;

    /// <summary>Changes <paramref name="state"/> as the record says.</summary>
    public abstract void Apply(StreamState state);

    /// <summary>Writes the record (its kind first).</summary>
    public abstract void Write(ByteWriter writer);

    /// <summary>Reads a record written by <see cref="Write"/>.</summary>
    public static StreamRecord Read(ref SpanReader reader) => (Kind)reader.ReadVarint() switch
    {
        Kind.Added => Added.ReadBody(ref reader),
        Kind.Trimmed => new Trimmed(new TrimRequest(
            (TrimStrategy)reader.ReadVarint(), reader.ReadSigned(), reader.ReadId(), reader.ReadVarint() == 1, reader.ReadSigned())),
        Kind.EntriesDeleted => new EntriesDeleted(ReadIds(ref reader)),
        Kind.IdSet => new IdSet(reader.ReadId(), reader.ReadSigned(), reader.ReadId()),
        Kind.GroupCreated => new GroupCreated(reader.ReadKey(), reader.ReadId(), reader.ReadSigned()),
        Kind.GroupIdSet => new GroupIdSet(reader.ReadKey(), reader.ReadId(), reader.ReadSigned()),
        Kind.GroupDestroyed => new GroupDestroyed(reader.ReadKey()),
        Kind.ConsumerCreated => new ConsumerCreated(reader.ReadKey(), reader.ReadKey(), reader.ReadSigned()),
        Kind.ConsumerDeleted => new ConsumerDeleted(reader.ReadKey(), reader.ReadKey()),
        Kind.Delivered => new Delivered(reader.ReadKey(), reader.ReadKey(), reader.ReadSigned(), reader.ReadVarint() == 1, ReadIds(ref reader)),
        Kind.Redelivered => new Redelivered(reader.ReadKey(), reader.ReadKey(), reader.ReadSigned(), ReadIds(ref reader)),
        Kind.Acked => new Acked(reader.ReadKey(), ReadIds(ref reader)),
        Kind.Claimed => Claimed.ReadBody(ref reader),
        var other => throw new InvalidDataException($"Unknown stream record kind {other}."),
    };

    private static StreamId[] ReadIds(ref SpanReader reader)
    {
        var ids = new StreamId[(int)reader.ReadVarint()];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadId();
        }

        return ids;
    }

    private static void WriteIds(ByteWriter writer, StreamId[] ids)
    {
        writer.WriteVarint((ulong)ids.Length);
        foreach (var id in ids)
        {
            writer.WriteId(id);
        }
    }

    private static ConsumerGroup FindGroup(StreamState state, string name) => state.Groups[name];

    /// <summary>XADD's entry.</summary>
    public sealed record Added(StreamId Id, ReadOnlyMemory<ReadOnlyMemory<byte>> FieldsAndValues) : StreamRecord
    {
        public override bool ChangesEntries => true;

        public override void Apply(StreamState state) => state.Add(Id, FieldsAndValues.Span);

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.Added);
            writer.WriteId(Id);
            writer.WriteVarint((ulong)FieldsAndValues.Length);
            foreach (var part in FieldsAndValues.Span)
            {
                writer.WriteBytes(part.Span);
            }
        }

        public static Added ReadBody(ref SpanReader reader)
        {
            var id = reader.ReadId();
            var parts = new ReadOnlyMemory<byte>[(int)reader.ReadVarint()];
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = reader.ReadBytes().ToArray();
            }

            return new Added(id, parts);
        }
    }

    /// <summary>XADD's or XTRIM's trimming, replayed as it ran (it depends only on the state).</summary>
    public sealed record Trimmed(TrimRequest Trim) : StreamRecord
    {
        public override bool ChangesEntries => true;

        public override void Apply(StreamState state) => state.Trim(Trim);

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.Trimmed);
            writer.WriteVarint((ulong)Trim.Strategy);
            writer.WriteSigned(Trim.MaxLength);
            writer.WriteId(Trim.MinId);
            writer.WriteVarint(Trim.Approximate ? 1UL : 0);
            writer.WriteSigned(Trim.Limit);
        }
    }

    /// <summary>XDEL.</summary>
    public sealed record EntriesDeleted(StreamId[] Ids) : StreamRecord
    {
        public override bool ChangesEntries => true;

        public override void Apply(StreamState state) => state.DeleteEntries(Ids);

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.EntriesDeleted);
            WriteIds(writer, Ids);
        }
    }

    /// <summary>XSETID (EntriesAdded -1 and MaxDeletedId 0-0 when not given).</summary>
    public sealed record IdSet(StreamId LastId, long EntriesAdded, StreamId MaxDeletedId) : StreamRecord
    {
        public override void Apply(StreamState state)
        {
            state.LastId = LastId;
            if (EntriesAdded != -1)
            {
                state.EntriesAdded = EntriesAdded;
            }

            if (!MaxDeletedId.IsZero)
            {
                state.MaxDeletedId = MaxDeletedId;
            }
        }

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.IdSet);
            writer.WriteId(LastId);
            writer.WriteSigned(EntriesAdded);
            writer.WriteId(MaxDeletedId);
        }
    }

    /// <summary>XGROUP CREATE.</summary>
    public sealed record GroupCreated(string Name, StreamId LastId, long EntriesRead) : StreamRecord
    {
        public override void Apply(StreamState state) => state.Groups.Add(Name, new ConsumerGroup(Name, LastId, EntriesRead));

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.GroupCreated);
            writer.WriteKey(Name);
            writer.WriteId(LastId);
            writer.WriteSigned(EntriesRead);
        }
    }

    /// <summary>XGROUP SETID.</summary>
    public sealed record GroupIdSet(string Name, StreamId LastId, long EntriesRead) : StreamRecord
    {
        public override void Apply(StreamState state)
        {
            var group = FindGroup(state, Name);
            group.LastDeliveredId = LastId;
            group.EntriesRead = EntriesRead;
        }

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.GroupIdSet);
            writer.WriteKey(Name);
            writer.WriteId(LastId);
            writer.WriteSigned(EntriesRead);
        }
    }

    /// <summary>XGROUP DESTROY.</summary>
    public sealed record GroupDestroyed(string Name) : StreamRecord
    {
        public override void Apply(StreamState state) => state.Groups.Remove(Name);

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.GroupDestroyed);
            writer.WriteKey(Name);
        }
    }

    /// <summary>A consumer made by XGROUP CREATECONSUMER, or by a read or claim naming it.</summary>
    public sealed record ConsumerCreated(string Group, string Consumer, long TimeMs) : StreamRecord
    {
        public override void Apply(StreamState state) => FindGroup(state, Group).GetOrAddConsumer(Consumer, TimeMs, out _);

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.ConsumerCreated);
            writer.WriteKey(Group);
            writer.WriteKey(Consumer);
            writer.WriteSigned(TimeMs);
        }
    }

    /// <summary>XGROUP DELCONSUMER.</summary>
    public sealed record ConsumerDeleted(string Group, string Consumer) : StreamRecord
    {
        public override void Apply(StreamState state) => FindGroup(state, Group).DeleteConsumer(Consumer);

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.ConsumerDeleted);
            writer.WriteKey(Group);
            writer.WriteKey(Consumer);
        }
    }

    /// <summary>XREADGROUP "&gt;": new entries delivered to a consumer (pending unless NOACK).</summary>
    public sealed record Delivered(string Group, string Consumer, long TimeMs, bool NoAck, StreamId[] Ids) : StreamRecord
    {
        public override void Apply(StreamState state)
        {
            var group = FindGroup(state, Group);
            var consumer = group.Consumers[Consumer];
            consumer.SeenTimeMs = TimeMs;
            foreach (var id in Ids)
            {
                state.AdvanceGroup(group, id);
                if (!NoAck)
                {
                    group.Deliver(id, consumer, TimeMs);
                }
            }
        }

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.Delivered);
            writer.WriteKey(Group);
            writer.WriteKey(Consumer);
            writer.WriteSigned(TimeMs);
            writer.WriteVarint(NoAck ? 1UL : 0);
            WriteIds(writer, Ids);
        }
    }

    /// <summary>XREADGROUP with an ID: the consumer's pending entries delivered again.</summary>
    public sealed record Redelivered(string Group, string Consumer, long TimeMs, StreamId[] Ids) : StreamRecord
    {
        public override void Apply(StreamState state)
        {
            var group = FindGroup(state, Group);
            group.Consumers[Consumer].SeenTimeMs = TimeMs;
            foreach (var id in Ids)
            {
                var entry = group.Pending.Find(id)!;
                entry.DeliveryTimeMs = TimeMs;
                entry.DeliveryCount++;
            }
        }

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.Redelivered);
            writer.WriteKey(Group);
            writer.WriteKey(Consumer);
            writer.WriteSigned(TimeMs);
            WriteIds(writer, Ids);
        }
    }

    /// <summary>XACK.</summary>
    public sealed record Acked(string Group, StreamId[] Ids) : StreamRecord
    {
        public override void Apply(StreamState state)
        {
            var group = FindGroup(state, Group);
            foreach (var id in Ids)
            {
                group.Remove(id);
            }
        }

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.Acked);
            writer.WriteKey(Group);
            WriteIds(writer, Ids);
        }
    }

    /// <summary>One entry XCLAIM or XAUTOCLAIM gave a consumer, with its new delivery time and count.</summary>
    public readonly record struct ClaimedEntry(StreamId Id, long DeliveryTimeMs, long DeliveryCount);

    /// <summary>
    /// XCLAIM/XAUTOCLAIM: pending entries whose entries are gone removed, entries given to the
    /// consumer (made pending first when forced), and the group's last ID raised (LASTID).
    /// </summary>
    public sealed record Claimed(string Group, string Consumer, long TimeMs, StreamId? LastId, StreamId[] Removed, ClaimedEntry[] Entries) : StreamRecord
    {
        public override void Apply(StreamState state)
        {
            var group = FindGroup(state, Group);
            if (LastId is { } lastId && lastId > group.LastDeliveredId)
            {
                group.LastDeliveredId = lastId;
            }

            foreach (var id in Removed)
            {
                group.Remove(id);
            }

            if (Entries.Length == 0)
            {
                return;
            }

            var consumer = group.Consumers[Consumer];
            consumer.SeenTimeMs = TimeMs;
            foreach (var claimed in Entries)
            {
                var entry = group.Pending.Find(claimed.Id);
                if (entry is null)
                {
                    entry = new PendingEntry(claimed.Id, consumer, claimed.DeliveryTimeMs, claimed.DeliveryCount);
                    group.Pending.Add(entry);
                    consumer.Pending.Add(entry);
                }
                else
                {
                    group.Transfer(entry, consumer);
                }

                entry.DeliveryTimeMs = claimed.DeliveryTimeMs;
                entry.DeliveryCount = claimed.DeliveryCount;
            }
        }

        public override void Write(ByteWriter writer)
        {
            writer.WriteVarint((ulong)Kind.Claimed);
            writer.WriteKey(Group);
            writer.WriteKey(Consumer);
            writer.WriteSigned(TimeMs);
            writer.WriteVarint(LastId is null ? 0UL : 1);
            if (LastId is { } lastId)
            {
                writer.WriteId(lastId);
            }

            WriteIds(writer, Removed);
            writer.WriteVarint((ulong)Entries.Length);
            foreach (var entry in Entries)
            {
                writer.WriteId(entry.Id);
                writer.WriteSigned(entry.DeliveryTimeMs);
                writer.WriteSigned(entry.DeliveryCount);
            }
        }

        public static Claimed ReadBody(ref SpanReader reader)
        {
            var group = reader.ReadKey();
            var consumer = reader.ReadKey();
            var time = reader.ReadSigned();
            StreamId? lastId = reader.ReadVarint() == 1 ? reader.ReadId() : null;
            var removed = ReadIds(ref reader);
            var entries = new ClaimedEntry[(int)reader.ReadVarint()];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new ClaimedEntry(reader.ReadId(), reader.ReadSigned(), reader.ReadSigned());
            }

            return new Claimed(group, consumer, time, lastId, removed, entries);
        }
    }
}
