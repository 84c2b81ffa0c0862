
using Platform.Grains.Serialization;

namespace Platform.Grains.Streams.Storage;

/// <summary>
/// A run of consecutive stream entries in one byte array, as a Redis listpack node holds them:
/// IDs delta-encoded against the block's first ("master") ID, and field names left out when an
/// entry repeats the master entry's fields. Deleted entries stay, flagged, until the block empties.
/// </summary>
/// <remarks>
/// Entry layout: a flags byte (deleted, same fields); the ms delta (varint); the sequence, as a
/// delta when the ms delta is 0 and absolute otherwise (varint); then, with different fields, the
/// field count and (name, value) pairs, else the values alone; each string is a varint length and
/// its bytes.
/// </remarks>
internal sealed class EntryBlock
{
    /// <summary>Redis's stream-node-max-entries: entries per node, deleted ones included.</summary>
    public const int MaxEntries = 100;

    /// <summary>Redis's stream-node-max-bytes.</summary>
    public const int MaxBytes = 4096;

    // A stream's first block's array, which doubles as entries come (and is cut to size when the
    // block is full). Small, as a new listpack is: most keys of a keyspace with many of them hold
    // an entry or two, and 256 bytes each was a fifth of what creating such a key allocated.
    private const int InitialBytes = 64;

    // Room a block started from its predecessor's size has beyond it, besides a 32nd: a stream's
    // entries are much alike, but the last entry needs room for its size as first reckoned
    // (varints at their longest), and blocks differ by a few bytes of ID deltas.
    private const int SuccessorSlack = 96;

    private const byte DeletedFlag = 1;
    private const byte SameFieldsFlag = 2;

    private byte[] _data;
    private int _length;

    private EntryBlock(StreamId masterId, byte[][] masterFields, int listpackBytes, byte[] data, int length)
    {
        MasterId = masterId;
        MasterFields = masterFields;
        ListpackBytes = listpackBytes;
        LastId = masterId;
        _data = data;
        _length = length;
    }

    /// <summary>The first entry's ID, against which the others are encoded.</summary>
    public StreamId MasterId { get; }

    /// <summary>The first entry's field names.</summary>
    public byte[][] MasterFields { get; }

    /// <summary>The ID of the last entry appended (deleted or not).</summary>
    public StreamId LastId { get; private set; }

    /// <summary>Entries not deleted.</summary>
    public int Live { get; private set; }

    /// <summary>Entries flagged deleted.</summary>
    public int Deleted { get; private set; }

    /// <summary>The size of Redis's listpack for the same entries.</summary>
    public int ListpackBytes { get; private set; }

    /// <summary>Bytes held (for memory figures).</summary>
    public int Capacity => _data.Length;

    /// <summary>Starts a block with its first entry.</summary>
    /// <param name="id">The entry's ID.</param>
    /// <param name="fieldsAndValues">The entry's fields and values.</param>
    /// <param name="predecessor">The stream's last block, sealed, whose size the new one starts
    /// with: growing every block from a few bytes by doubling, then cutting it to size, allocated
    /// five times its bytes, and was most of what a busy stream allocated.</param>
    public static EntryBlock Create(StreamId id, ReadOnlySpan<ReadOnlyMemory<byte>> fieldsAndValues, EntryBlock? predecessor = null)
    {
        var fieldCount = fieldsAndValues.Length / 2;
        var names = new byte[fieldCount][];
        var listpack = ListpackSize.Empty + ListpackSize.OfInteger(1) + ListpackSize.OfInteger(0) + ListpackSize.OfInteger(fieldCount);
        for (var i = 0; i < fieldCount; i++)
        {
            names[i] = fieldsAndValues[i * 2].ToArray();
            listpack += ListpackSize.OfString(names[i]);
        }

        listpack += ListpackSize.OfInteger(0);
        // No more than two full blocks' worth: a block that held one huge entry says nothing of the next.
        var capacity = predecessor is null ? InitialBytes : Math.Min(predecessor._length + (predecessor._length / 32) + SuccessorSlack, 2 * MaxBytes);
        var block = new EntryBlock(id, names, listpack, new byte[capacity], 0);
        block.Append(id, fieldsAndValues);
        return block;
    }

    /// <summary>Rebuilds a block from its stored form (see <see cref="WriteTo"/>).</summary>
    public static EntryBlock Read(ref SpanReader reader)
    {
        var master = new StreamId(reader.ReadVarint(), reader.ReadVarint());
        var names = new byte[(int)reader.ReadVarint()][];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadBytes().ToArray();
        }

        var listpack = (int)reader.ReadVarint();
        var lastId = new StreamId(reader.ReadVarint(), reader.ReadVarint());
        var live = (int)reader.ReadVarint();
        var deleted = (int)reader.ReadVarint();
        var data = reader.ReadBytes().ToArray();
        return new EntryBlock(master, names, listpack, data, data.Length) { LastId = lastId, Live = live, Deleted = deleted };
    }

    /// <summary>Writes the block in a form <see cref="Read"/> takes back.</summary>
    public void WriteTo(ByteWriter writer)
    {
        writer.WriteVarint(MasterId.Ms);
        writer.WriteVarint(MasterId.Seq);
        writer.WriteVarint((ulong)MasterFields.Length);
        foreach (var name in MasterFields)
        {
            writer.WriteBytes(name);
        }

        writer.WriteVarint((ulong)ListpackBytes);
        writer.WriteVarint(LastId.Ms);
        writer.WriteVarint(LastId.Seq);
        writer.WriteVarint((ulong)Live);
        writer.WriteVarint((ulong)Deleted);
        writer.WriteBytes(_data.AsSpan(0, _length));
    }

    /// <summary>Whether Redis would append an entry with these fields to this node rather than start a new one.</summary>
    public bool CanAppend(long rawFieldBytes) =>
        Live + Deleted < MaxEntries && ListpackBytes + rawFieldBytes < MaxBytes;

    /// <summary>Appends an entry (its ID greater than the last one's).</summary>
    public void Append(StreamId id, ReadOnlySpan<ReadOnlyMemory<byte>> fieldsAndValues)
    {
        var fieldCount = fieldsAndValues.Length / 2;
        var same = HasMasterFields(fieldsAndValues);
        var msDelta = id.Ms - MasterId.Ms;
        var seq = msDelta == 0 ? id.Seq - MasterId.Seq : id.Seq;

        var size = 1 + 20;
        foreach (var part in fieldsAndValues)
        {
            size += 10 + part.Length;
        }

        EnsureRoom(size);
        var span = _data.AsSpan(_length);
        var n = 0;
        span[n++] = same ? SameFieldsFlag : (byte)0;
        n += WriteVarint(span[n..], msDelta);
        n += WriteVarint(span[n..], seq);
        if (!same)
        {
            n += WriteVarint(span[n..], (ulong)fieldCount);
        }

        for (var i = 0; i < fieldCount; i++)
        {
            if (!same)
            {
                n += WriteString(span[n..], fieldsAndValues[i * 2].Span);
            }

            n += WriteString(span[n..], fieldsAndValues[(i * 2) + 1].Span);
        }

        _length += n;
        Live++;
        LastId = id;
        ListpackBytes += ListpackCost(id, fieldsAndValues, same);
    }

    /// <summary>
    /// Cuts the array to the data, the block being full, unless what is unused is a 16th of it or
    /// less: a block started from its predecessor's size is left as it is, rather than copied again.
    /// </summary>
    public void Seal()
    {
        if (_data.Length - _length > _length / 16)
        {
            Array.Resize(ref _data, _length);
        }
    }

    /// <summary>Flags the entry <paramref name="id"/> deleted; false if it is not here or already deleted.</summary>
    public bool TryDelete(StreamId id)
    {
        var reader = new Reader(this);
        while (reader.MoveNext())
        {
            if (reader.Id == id)
            {
                if (reader.IsDeleted)
                {
                    return false;
                }

                _data[reader.Offset] |= DeletedFlag;
                Live--;
                Deleted++;
                return true;
            }

            if (reader.Id > id)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Walks the entries in order, flagging live ones deleted, while <paramref name="goOn"/> (given
    /// each ID and the number flagged so far) holds: Redis's in-node trimming.
    /// </summary>
    /// <returns>How many were flagged.</returns>
    public int DeleteWhile(Func<StreamId, int, bool> goOn)
    {
        var deleted = 0;
        var reader = new Reader(this);
        while (reader.MoveNext() && goOn(reader.Id, deleted))
        {
            if (!reader.IsDeleted)
            {
                _data[reader.Offset] |= DeletedFlag;
                Live--;
                Deleted++;
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>A cursor over the block's entries, in order.</summary>
    public Reader GetReader() => new(this);

    private bool HasMasterFields(ReadOnlySpan<ReadOnlyMemory<byte>> fieldsAndValues)
    {
        if (fieldsAndValues.Length / 2 != MasterFields.Length)
        {
            return false;
        }

        for (var i = 0; i < MasterFields.Length; i++)
        {
            if (!fieldsAndValues[i * 2].Span.SequenceEqual(MasterFields[i]))
            {
                return false;
            }
        }

        return true;
    }

    // What Redis's listpack grows by for this entry: flags, ms and seq deltas, the fields unless
    // shared with the master entry, the values, and the entry's element count.
    private int ListpackCost(StreamId id, ReadOnlySpan<ReadOnlyMemory<byte>> fieldsAndValues, bool same)
    {
        var fieldCount = fieldsAndValues.Length / 2;
        var cost = ListpackSize.OfInteger(same ? SameFieldsFlag : 0)
            + ListpackSize.OfInteger(unchecked((long)(id.Ms - MasterId.Ms)))
            + ListpackSize.OfInteger(unchecked((long)(id.Seq - MasterId.Seq)));
        if (!same)
        {
            cost += ListpackSize.OfInteger(fieldCount);
        }

        for (var i = 0; i < fieldCount; i++)
        {
            if (!same)
            {
                cost += ListpackSize.OfString(fieldsAndValues[i * 2].Span);
            }

            cost += ListpackSize.OfString(fieldsAndValues[(i * 2) + 1].Span);
        }

        var elements = fieldCount + 3 + (same ? 0 : fieldCount + 1);
        return cost + ListpackSize.OfInteger(elements);
    }

    private void EnsureRoom(int size)
    {
        if (_data.Length - _length < size)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + size));
        }
    }

    private static int WriteString(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        var n = WriteVarint(destination, (ulong)value.Length);
        value.CopyTo(destination[n..]);
        return n + value.Length;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> source, ref int position)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = source[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
        }
    }

    /// <summary>Walks the entries of a block; valid while the block is not appended to.</summary>
    public ref struct Reader
    {
        private readonly EntryBlock _block;
        private readonly ReadOnlySpan<byte> _data;
        private int _next;
        private int _fieldsStart;

        public Reader(EntryBlock block)
        {
            _block = block;
            _data = block._data.AsSpan(0, block._length);
            _next = 0;
            _fieldsStart = 0;
            Offset = -1;
            Id = default;
            IsDeleted = false;
            FieldCount = 0;
            SameFields = false;
        }

        /// <summary>Where the current entry starts.</summary>
        public int Offset { get; private set; }

        /// <summary>The current entry's ID.</summary>
        public StreamId Id { get; private set; }

        /// <summary>Whether the current entry is flagged deleted.</summary>
        public bool IsDeleted { get; private set; }

        /// <summary>The current entry's number of fields.</summary>
        public int FieldCount { get; private set; }

        private bool SameFields { get; set; }

        /// <summary>Moves to the next entry; false at the end.</summary>
        public bool MoveNext()
        {
            if (_next >= _data.Length)
            {
                return false;
            }

            Offset = _next;
            var position = _next;
            var flags = _data[position++];
            IsDeleted = (flags & DeletedFlag) != 0;
            SameFields = (flags & SameFieldsFlag) != 0;
            var msDelta = ReadVarint(_data, ref position);
            var seq = ReadVarint(_data, ref position);
            var master = _block.MasterId;
            Id = msDelta == 0 ? new StreamId(master.Ms, master.Seq + seq) : new StreamId(master.Ms + msDelta, seq);
            FieldCount = SameFields ? _block.MasterFields.Length : (int)ReadVarint(_data, ref position);
            _fieldsStart = position;

            // Skip the strings to find the next entry.
            var strings = SameFields ? FieldCount : FieldCount * 2;
            for (var i = 0; i < strings; i++)
            {
                var length = (int)ReadVarint(_data, ref position);
                position += length;
            }

            _next = position;
            return true;
        }

        /// <summary>Moves to the entry starting at <paramref name="offset"/> (an earlier <see cref="Offset"/>).</summary>
        public void Seek(int offset)
        {
            _next = offset;
            MoveNext();
        }

        /// <summary>Appends the current entry, with its fields, to <paramref name="output"/>.</summary>
        public readonly void CopyTo(StreamEntries output)
        {
            output.BeginEntry(Id);
            var position = _fieldsStart;
            for (var i = 0; i < FieldCount; i++)
            {
                ReadOnlySpan<byte> name;
                if (SameFields)
                {
                    name = _block.MasterFields[i];
                }
                else
                {
                    var nameLength = (int)ReadVarint(_data, ref position);
                    name = _data.Slice(position, nameLength);
                    position += nameLength;
                }

                var valueLength = (int)ReadVarint(_data, ref position);
                output.AddField(name, _data.Slice(position, valueLength));
                position += valueLength;
            }
        }
    }
}
