using Platform.Client.Protocol;

namespace Platform.Client.Streams;

/// <summary>Reply parsers of the stream and consumer-group commands, for RESP3 and RESP2 shapes alike.</summary>
internal static class StreamParsers
{
    public static StreamId Id(ref RespReader reader)
    {
        var text = reader.ReadBlob(out var isNull);
        if (isNull || !StreamId.TryParse(text, out var id))
        {
            throw new PlatformProtocolException($"The server sent '{Encoding.UTF8.GetString(text)}' where a stream ID was expected.");
        }

        return id;
    }

    public static StreamId? NullableId(ref RespReader reader)
    {
        if (reader.IsNull)
        {
            reader.Skip();
            return null;
        }

        return Id(ref reader);
    }

    public static StreamEntry Entry(ref RespReader reader)
    {
        var length = reader.ReadArrayLength();
        var id = Id(ref reader);
        if (length < 2)
        {
            return new StreamEntry(id, [], isDeleted: false);
        }

        if (reader.IsNull)
        {
            reader.Skip();
            SkipExtra(ref reader, length - 2);
            return new StreamEntry(id, [], isDeleted: true);
        }

        var values = reader.PeekType() == (byte)'%' ? reader.ReadMapLength() * 2 : reader.ReadArrayLength();

        // First pass: the payload's size, so the entry's fields share one copy.
        var probe = reader;
        var total = 0;
        for (var i = 0; i < values; i++)
        {
            total += probe.ReadBlob(out _).Length;
        }

        var buffer = total == 0 ? [] : new byte[total];
        var fields = new StreamField[values / 2];
        var offset = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var name = Copy(ref reader, buffer, ref offset);
            var value = Copy(ref reader, buffer, ref offset);
            fields[i] = new StreamField(name, value);
        }

        if (values % 2 == 1)
        {
            reader.Skip();
        }

        SkipExtra(ref reader, length - 2);
        return new StreamEntry(id, fields);
    }

    public static IReadOnlyList<StreamEntry> Entries(ref RespReader reader)
    {
        var length = reader.ReadArrayLength();
        if (length <= 0)
        {
            return [];
        }

        var entries = new StreamEntry[length];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = Entry(ref reader);
        }

        return entries;
    }

    public static IReadOnlyList<StreamId> Ids(ref RespReader reader)
    {
        var length = reader.ReadArrayLength();
        if (length <= 0)
        {
            return [];
        }

        var ids = new StreamId[length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Id(ref reader);
        }

        return ids;
    }

    /// <summary>XREAD / XREADGROUP: a RESP3 map or a RESP2 array of [stream, entries]; null (timeout) is empty.</summary>
    public static IReadOnlyList<StreamReadResult> ReadResults(ref RespReader reader)
    {
        if (reader.IsNull)
        {
            reader.Skip();
            return [];
        }

        var results = new List<StreamReadResult>();
        if (reader.PeekType() == (byte)'%')
        {
            var pairs = reader.ReadMapLength();
            for (var i = 0; i < pairs; i++)
            {
                var stream = reader.ReadRequiredString();
                results.Add(new StreamReadResult(stream, Entries(ref reader)));
            }
        }
        else
        {
            var length = reader.ReadArrayLength();
            for (var i = 0; i < length; i++)
            {
                reader.ReadArrayLength();
                var stream = reader.ReadRequiredString();
                results.Add(new StreamReadResult(stream, Entries(ref reader)));
            }
        }

        return results;
    }

    /// <summary>The entries of a single-stream read.</summary>
    public static IReadOnlyList<StreamEntry> SingleReadResult(ref RespReader reader)
    {
        var results = ReadResults(ref reader);
        return results.Count == 0 ? [] : results[0].Entries;
    }

    public static StreamInfo Info(ref RespReader reader)
    {
        long length = 0, keys = 0, nodes = 0, groups = 0;
        long? added = null;
        StreamId last = default;
        StreamId? maxDeleted = null, recordedFirst = null;
        StreamEntry? first = null, lastEntry = null;
        var pairs = reader.ReadMapLength();
        for (var i = 0; i < pairs; i++)
        {
            var key = reader.ReadRequiredString();
            switch (key)
            {
                case "length": length = reader.ReadInt64(); break;
                case "radix-tree-keys": keys = reader.ReadInt64(); break;
                case "radix-tree-nodes": nodes = reader.ReadInt64(); break;
                case "groups": groups = reader.ReadInt64(); break;
                case "last-generated-id": last = Id(ref reader); break;
                case "max-deleted-entry-id": maxDeleted = NullableId(ref reader); break;
                case "entries-added": added = reader.ReadNullableInt64(); break;
                case "recorded-first-entry-id": recordedFirst = NullableId(ref reader); break;
                case "first-entry": first = NullableEntry(ref reader); break;
                case "last-entry": lastEntry = NullableEntry(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new StreamInfo
        {
            Length = length,
            RadixTreeKeys = keys,
            RadixTreeNodes = nodes,
            Groups = groups,
            LastGeneratedId = last,
            MaxDeletedEntryId = maxDeleted,
            EntriesAdded = added,
            RecordedFirstEntryId = recordedFirst,
            FirstEntry = first,
            LastEntry = lastEntry,
        };
    }

    public static IReadOnlyList<StreamGroupInfo> Groups(ref RespReader reader)
    {
        var count = reader.ReadArrayLength();
        var groups = new List<StreamGroupInfo>(Math.Max(count, 0));
        for (var g = 0; g < count; g++)
        {
            string name = "";
            long consumers = 0, pending = 0;
            long? entriesRead = null, lag = null;
            StreamId lastDelivered = default;
            var pairs = reader.ReadMapLength();
            for (var i = 0; i < pairs; i++)
            {
                switch (reader.ReadRequiredString())
                {
                    case "name": name = reader.ReadRequiredString(); break;
                    case "consumers": consumers = reader.ReadInt64(); break;
                    case "pending": pending = reader.ReadInt64(); break;
                    case "last-delivered-id": lastDelivered = Id(ref reader); break;
                    case "entries-read": entriesRead = reader.ReadNullableInt64(); break;
                    case "lag": lag = reader.ReadNullableInt64(); break;
                    default: reader.Skip(); break;
                }
            }

            groups.Add(new StreamGroupInfo
            {
                Name = name,
                Consumers = consumers,
                Pending = pending,
                LastDeliveredId = lastDelivered,
                EntriesRead = entriesRead,
                Lag = lag,
            });
        }

        return groups;
    }

    public static IReadOnlyList<StreamConsumerInfo> Consumers(ref RespReader reader)
    {
        var count = reader.ReadArrayLength();
        var consumers = new List<StreamConsumerInfo>(Math.Max(count, 0));
        for (var c = 0; c < count; c++)
        {
            string name = "";
            long pending = 0, idle = 0;
            long? inactive = null;
            var pairs = reader.ReadMapLength();
            for (var i = 0; i < pairs; i++)
            {
                switch (reader.ReadRequiredString())
                {
                    case "name": name = reader.ReadRequiredString(); break;
                    case "pending": pending = reader.ReadInt64(); break;
                    case "idle": idle = reader.ReadInt64(); break;
                    case "inactive": inactive = reader.ReadNullableInt64(); break;
                    default: reader.Skip(); break;
                }
            }

            consumers.Add(new StreamConsumerInfo
            {
                Name = name,
                Pending = pending,
                Idle = TimeSpan.FromMilliseconds(idle),
                Inactive = inactive is { } value && value >= 0 ? TimeSpan.FromMilliseconds(value) : null,
            });
        }

        return consumers;
    }

    public static StreamPendingSummary PendingSummary(ref RespReader reader)
    {
        var length = reader.ReadArrayLength();
        var count = reader.ReadInt64();
        var lowest = NullableId(ref reader);
        var highest = NullableId(ref reader);
        var consumers = new Dictionary<string, long>(StringComparer.Ordinal);
        var n = reader.ReadArrayLength();
        for (var i = 0; i < n; i++)
        {
            reader.ReadArrayLength();
            var name = reader.ReadRequiredString();
            consumers[name] = reader.ReadInt64();
        }

        SkipExtra(ref reader, length - 4);
        return new StreamPendingSummary { Count = count, LowestId = lowest, HighestId = highest, Consumers = consumers };
    }

    public static IReadOnlyList<StreamPendingEntry> PendingEntries(ref RespReader reader)
    {
        var count = reader.ReadArrayLength();
        var entries = new List<StreamPendingEntry>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadArrayLength();
            var id = Id(ref reader);
            var consumer = reader.ReadRequiredString();
            var idle = reader.ReadInt64();
            var deliveries = reader.ReadInt64();
            SkipExtra(ref reader, length - 4);
            entries.Add(new StreamPendingEntry { Id = id, Consumer = consumer, Idle = TimeSpan.FromMilliseconds(idle), DeliveryCount = deliveries });
        }

        return entries;
    }

    public static StreamAutoClaimResult AutoClaim(ref RespReader reader) => AutoClaim(ref reader, justIds: false);

    public static StreamAutoClaimResult AutoClaimJustIds(ref RespReader reader) => AutoClaim(ref reader, justIds: true);

    public static IReadOnlyList<StreamEntry> IdsAsEntries(ref RespReader reader)
    {
        var ids = Ids(ref reader);
        var entries = new StreamEntry[ids.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new StreamEntry(ids[i], []);
        }

        return entries;
    }

    private static StreamAutoClaimResult AutoClaim(ref RespReader reader, bool justIds)
    {
        var length = reader.ReadArrayLength();
        var next = Id(ref reader);
        IReadOnlyList<StreamEntry> entries;
        if (justIds)
        {
            entries = IdsAsEntries(ref reader);
        }
        else
        {
            // Redis 6.2 listed deleted entries as nil: skip them here (7.0 lists them separately).
            var count = reader.ReadArrayLength();
            var list = new List<StreamEntry>(Math.Max(count, 0));
            for (var i = 0; i < count; i++)
            {
                if (reader.IsNull)
                {
                    reader.Skip();
                    continue;
                }

                list.Add(Entry(ref reader));
            }

            entries = list;
        }

        var deleted = length >= 3 ? Ids(ref reader) : [];
        SkipExtra(ref reader, length - 3);
        return new StreamAutoClaimResult(next, entries, deleted);
    }

    private static StreamEntry? NullableEntry(ref RespReader reader)
    {
        if (reader.IsNull)
        {
            reader.Skip();
            return null;
        }

        return Entry(ref reader);
    }

    private static ReadOnlyMemory<byte> Copy(ref RespReader reader, byte[] buffer, ref int offset)
    {
        var value = reader.ReadBlob(out _);
        value.CopyTo(buffer.AsSpan(offset));
        var memory = new ReadOnlyMemory<byte>(buffer, offset, value.Length);
        offset += value.Length;
        return memory;
    }

    private static void SkipExtra(ref RespReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            reader.Skip();
        }
    }
}
