using System.Buffers.Binary;
using System.Text;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams.State;

namespace Platform.Grains.Streams.Dump;

/// <summary>
/// DUMP's and RESTORE's payload for a stream, as Redis 7.0 writes it: the value as RDB type 19
/// (entries in listpack nodes cut as Redis cuts them, the stream's IDs and counters, groups with
/// their pending entries and consumers), the RDB version (10) and a CRC64. A payload from this
/// server restores on Redis 7.0 and the other way round.
/// </summary>
public static class RedisDump
{
    private const byte StreamType = 19;
    private const ushort RdbVersion = 10;

    // Flags of an entry in a node.
    private const int Deleted = 1;
    private const int SameFields = 2;

    /// <summary>DUMP: the payload of a stream's state.</summary>
    internal static byte[] Write(StreamState state)
    {
        var writer = new RdbWriter();
        writer.WriteByte(StreamType);
        WriteNodes(writer, state);
        writer.WriteLength((ulong)state.Length);
        WriteId(writer, state.LastId);
        WriteId(writer, state.FirstId);
        WriteId(writer, state.MaxDeletedId);
        writer.WriteLength((ulong)state.EntriesAdded);
        writer.WriteLength((ulong)state.Groups.Count);
        foreach (var group in state.Groups.Values)
        {
            writer.WriteString(Encoding.Latin1.GetBytes(group.Name));
            WriteId(writer, group.LastDeliveredId);
            writer.WriteLength((ulong)group.EntriesRead);
            writer.WriteLength((ulong)group.Pending.Count);
            foreach (var entry in group.Pending.All)
            {
                writer.WriteRawId(entry.Id);
                writer.WriteMilliseconds(entry.DeliveryTimeMs);
                writer.WriteLength((ulong)entry.DeliveryCount);
            }

            writer.WriteLength((ulong)group.Consumers.Count);
            foreach (var consumer in group.Consumers.Values)
            {
                writer.WriteString(Encoding.Latin1.GetBytes(consumer.Name));
                writer.WriteMilliseconds(consumer.SeenTimeMs);
                writer.WriteLength((ulong)consumer.Pending.Count);
                foreach (var entry in consumer.Pending.All)
                {
                    writer.WriteRawId(entry.Id);
                }
            }
        }

        Span<byte> footer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(footer, RdbVersion);
        writer.WriteRaw(footer);
        Span<byte> crc = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(crc, Crc64.Compute(writer.Written));
        writer.WriteRaw(crc);
        return writer.Written.ToArray();
    }

    /// <summary>Whether the payload ends with an RDB version this server reads (up to Redis 7.0's) and a matching CRC64.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 10)
        {
            return false;
        }

        var footer = payload[^10..];
        return BinaryPrimitives.ReadUInt16LittleEndian(footer) <= RdbVersion
            && BinaryPrimitives.ReadUInt64LittleEndian(footer[2..]) == Crc64.Compute(payload[..^8]);
    }

    /// <summary>
    /// RESTORE: the value of an intact payload (<see cref="IsIntact"/>), serialized as
    /// <see cref="KeyDump.Data"/>; null if it is not a stream as Redis 7.0 writes one.
    /// </summary>
    public static byte[]? Read(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new RdbReader(payload[..^10]);
            if (reader.ReadByte() != StreamType)
            {
                return null;
            }

            var state = new StreamState();
            ReadNodes(ref reader, state);
            if ((long)reader.ReadLength() != state.Length)
            {
                return null;
            }

            state.LastId = ReadId(ref reader);
            state.RestoreFirstId(ReadId(ref reader));
            state.MaxDeletedId = ReadId(ref reader);
            state.EntriesAdded = (long)reader.ReadLength();
            var groups = reader.ReadLength();
            for (ulong g = 0; g < groups; g++)
            {
                ReadGroup(ref reader, state);
            }

            // Bytes left before the footer are let be, as Redis reads only what the value needs.
            return StreamStateSerializer.Write(state);
        }
        catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    // One node per block: the blocks are cut where Redis cuts its nodes (100 entries, 4 KB).
    private static void WriteNodes(RdbWriter writer, StreamState state)
    {
        var nodes = state.Entries.Blocks().ToList();
        writer.WriteLength((ulong)nodes.Count);
        foreach (var node in nodes)
        {
            var key = new RdbWriter();
            key.WriteRawId(node.Id(0));
            writer.WriteString(key.Written);
            writer.WriteString(Node(node));
        }
    }

    // A node: its master entry (count, deleted, the first entry's field names, 0), then each
    // entry as flags, ID deltas from the master's, its fields unless they are the master's, its
    // values, and how many elements it took.
    private static byte[] Node(StreamEntries page)
    {
        var listpack = new ListpackWriter();
        var master = page.Id(0);
        var masterFields = page.FieldCount(0);
        listpack.Add(page.Count);
        listpack.Add(0);
        listpack.Add(masterFields);
        for (var f = 0; f < masterFields; f++)
        {
            listpack.Add(page.Name(0, f));
        }

        listpack.Add(0);
        for (var i = 0; i < page.Count; i++)
        {
            var id = page.Id(i);
            var fields = page.FieldCount(i);
            var same = fields == masterFields;
            for (var f = 0; same && f < fields; f++)
            {
                same = page.Name(i, f).SequenceEqual(page.Name(0, f));
            }

            listpack.Add(same ? SameFields : 0);
            listpack.Add((long)(id.Ms - master.Ms));
            listpack.Add((long)(id.Seq - master.Seq));
            if (!same)
            {
                listpack.Add(fields);
            }

            for (var f = 0; f < fields; f++)
            {
                if (!same)
                {
                    listpack.Add(page.Name(i, f));
                }

                listpack.Add(page.Value(i, f));
            }

            listpack.Add(same ? fields + 3 : (2 * fields) + 4);
        }

        return listpack.ToArray();
    }

    private static void ReadNodes(ref RdbReader reader, StreamState state)
    {
        var nodes = reader.ReadLength();
        var previous = StreamId.Min;
        var any = false;
        for (ulong n = 0; n < nodes; n++)
        {
            var key = reader.ReadString();
            if (key.Length != 16)
            {
                throw new InvalidDataException("Bad data format");
            }

            var master = new StreamId(BinaryPrimitives.ReadUInt64BigEndian(key), BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(8)));
            var listpack = new ListpackReader(reader.ReadString());
            var count = listpack.ReadCount();
            var deleted = listpack.ReadCount();
            var masterFields = new byte[listpack.ReadCount()][];
            for (var f = 0; f < masterFields.Length; f++)
            {
                masterFields[f] = listpack.ReadString();
            }

            if (listpack.ReadInteger() != 0)
            {
                throw new InvalidDataException("Bad data format");
            }

            // Each node is a block, deleted entries kept until its end: the blocks are then where
            // the payload's nodes were (XINFO's radix-tree-keys), with the room deleted entries take.
            var gone = new List<StreamId>();
            for (var i = 0; i < count + deleted; i++)
            {
                var flags = listpack.ReadInteger();
                var id = new StreamId(master.Ms + (ulong)listpack.ReadInteger(), master.Seq + (ulong)listpack.ReadInteger());
                var fieldCount = (flags & SameFields) != 0 ? masterFields.Length : listpack.ReadCount();
                var fieldsAndValues = new ReadOnlyMemory<byte>[2 * fieldCount];
                for (var f = 0; f < fieldCount; f++)
                {
                    fieldsAndValues[2 * f] = (flags & SameFields) != 0 ? masterFields[f] : listpack.ReadString();
                    fieldsAndValues[(2 * f) + 1] = listpack.ReadString();
                }

                listpack.ReadInteger();
                if (any && id <= previous)
                {
                    throw new InvalidDataException("Bad data format");
                }

                // The counters read after the entries say what the stream has seen.
                state.Entries.Append(id, fieldsAndValues, startsBlock: i == 0);
                previous = id;
                any = true;
                if ((flags & Deleted) != 0)
                {
                    gone.Add(id);
                }
            }

            foreach (var id in gone)
            {
                state.Entries.Delete(id);
            }

            if (!listpack.End)
            {
                throw new InvalidDataException("Bad data format");
            }
        }
    }

    private static void ReadGroup(ref RdbReader reader, StreamState state)
    {
        var group = new ConsumerGroup(Encoding.Latin1.GetString(reader.ReadString()), ReadId(ref reader), (long)reader.ReadLength());
        var pending = new Dictionary<StreamId, (long DeliveryTimeMs, long DeliveryCount)>();
        var size = reader.ReadLength();
        for (ulong p = 0; p < size; p++)
        {
            pending.Add(reader.ReadRawId(), (reader.ReadMilliseconds(), (long)reader.ReadLength()));
        }

        var consumers = reader.ReadLength();
        for (ulong c = 0; c < consumers; c++)
        {
            var consumer = new Consumer(Encoding.Latin1.GetString(reader.ReadString()), reader.ReadMilliseconds());
            group.Consumers.Add(consumer.Name, consumer);
            var owned = reader.ReadLength();
            for (ulong p = 0; p < owned; p++)
            {
                var id = reader.ReadRawId();
                var (time, deliveries) = pending[id];
                var entry = new PendingEntry(id, consumer, time, deliveries);
                if (!group.Pending.Add(entry))
                {
                    throw new InvalidDataException("Bad data format");
                }

                consumer.Pending.Add(entry);
            }
        }

        // Every pending entry has its consumer, as this server's groups need.
        if (group.Pending.Count != pending.Count)
        {
            throw new InvalidDataException("Bad data format");
        }

        state.Groups.Add(group.Name, group);
    }

    private static void WriteId(RdbWriter writer, StreamId id)
    {
        writer.WriteLength(id.Ms);
        writer.WriteLength(id.Seq);
    }

    private static StreamId ReadId(ref RdbReader reader) => new(reader.ReadLength(), reader.ReadLength());
}
