using Platform.Grains.Serialization;
using Platform.Grains.Streams.Storage;

namespace Platform.Grains.Streams.State;

/// <summary>
/// A stream's whole state as bytes and back: what RENAME moves and what a snapshot stores.
/// The key's expiry travels apart.
/// </summary>
internal static class StreamStateSerializer
{
    private const byte Version = 1;

    /// <summary>The state as bytes.</summary>
    public static byte[] Write(StreamState state)
    {
        var writer = new ByteWriter(1024);
        writer.WriteVarint(Version);
        state.Entries.WriteTo(writer);
        writer.WriteId(state.LastId);
        writer.WriteId(state.FirstId);
        writer.WriteId(state.MaxDeletedId);
        writer.WriteVarint((ulong)state.EntriesAdded);
        writer.WriteVarint((ulong)state.Groups.Count);
        foreach (var group in state.Groups.Values)
        {
            writer.WriteKey(group.Name);
            writer.WriteId(group.LastDeliveredId);
            writer.WriteSigned(group.EntriesRead);
            writer.WriteVarint((ulong)group.Consumers.Count);
            foreach (var consumer in group.Consumers.Values)
            {
                writer.WriteKey(consumer.Name);
                writer.WriteSigned(consumer.SeenTimeMs);
            }

            writer.WriteVarint((ulong)group.Pending.Count);
            foreach (var entry in group.Pending.All)
            {
                writer.WriteId(entry.Id);
                writer.WriteKey(entry.Owner.Name);
                writer.WriteSigned(entry.DeliveryTimeMs);
                writer.WriteSigned(entry.DeliveryCount);
            }
        }

        return writer.ToArray();
    }

    /// <summary>The state written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a state.</exception>
    public static StreamState Read(ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data);
        if (reader.ReadVarint() != Version)
        {
            throw new InvalidDataException("Unknown stream state version.");
        }

        var state = new StreamState(StreamLog.Read(ref reader))
        {
            LastId = reader.ReadId(),
        };
        state.RestoreFirstId(reader.ReadId());
        state.MaxDeletedId = reader.ReadId();
        state.EntriesAdded = (long)reader.ReadVarint();
        var groups = (int)reader.ReadVarint();
        for (var g = 0; g < groups; g++)
        {
            var group = new ConsumerGroup(reader.ReadKey(), reader.ReadId(), reader.ReadSigned());
            var consumers = (int)reader.ReadVarint();
            for (var c = 0; c < consumers; c++)
            {
                var consumer = new Consumer(reader.ReadKey(), reader.ReadSigned());
                group.Consumers.Add(consumer.Name, consumer);
            }

            var pending = (long)reader.ReadVarint();
            for (long p = 0; p < pending; p++)
            {
                var id = reader.ReadId();
                var owner = group.Consumers[reader.ReadKey()];
                var entry = new PendingEntry(id, owner, reader.ReadSigned(), reader.ReadSigned());
                group.Pending.Add(entry);
                owner.Pending.Add(entry);
            }

            state.Groups.Add(group.Name, group);
        }

        return state;
    }
}
