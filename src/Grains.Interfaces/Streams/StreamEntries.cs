namespace Platform.Grains.Streams;

/// <summary>
/// Stream entries copied out of a stream for a reply: every field and value in one byte array,
/// and two index arrays, so a read of N entries costs three allocations, not one per entry.
/// An entry can be missing (deleted, yet still pending in a group): it has an ID and no fields.
/// </summary>
public sealed class StreamEntries
{
    private byte[] _data;
    private Entry[] _entries;
    private Field[] _fields;
    private int _dataLength;
    private int _fieldCount;

    /// <summary>An empty list with room for <paramref name="capacity"/> entries.</summary>
    public StreamEntries(int capacity = 8)
    {
        _data = new byte[Math.Max(64, capacity * 32)];
        _entries = new Entry[Math.Max(1, capacity)];
        _fields = new Field[Math.Max(2, capacity * 2)];
    }

    /// <summary>The number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>The ID of entry <paramref name="index"/>.</summary>
    public StreamId Id(int index) => _entries[index].Id;

    /// <summary>Whether entry <paramref name="index"/> no longer exists (only its ID is known).</summary>
    public bool IsMissing(int index) => _entries[index].FieldCount < 0;

    /// <summary>The number of field-value pairs of entry <paramref name="index"/>.</summary>
    public int FieldCount(int index) => Math.Max(0, _entries[index].FieldCount);

    /// <summary>Field name <paramref name="field"/> of entry <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Name(int index, int field)
    {
        var f = _fields[_entries[index].FirstField + field];
        return _data.AsSpan(f.NameOffset, f.NameLength);
    }

    /// <summary>Value <paramref name="field"/> of entry <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Value(int index, int field)
    {
        var f = _fields[_entries[index].FirstField + field];
        return _data.AsSpan(f.ValueOffset, f.ValueLength);
    }

    /// <summary>Starts an entry; its fields follow with <see cref="AddField"/>.</summary>
    public void BeginEntry(StreamId id)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count++] = new Entry(id, _fieldCount, 0);
    }

    /// <summary>Adds an entry that no longer exists.</summary>
    public void AddMissing(StreamId id)
    {
        BeginEntry(id);
        _entries[Count - 1] = _entries[Count - 1] with { FieldCount = -1 };
    }

    /// <summary>Adds a field-value pair to the entry begun last.</summary>
    public void AddField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_fieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        var nameOffset = Append(name);
        var valueOffset = Append(value);
        _fields[_fieldCount++] = new Field(nameOffset, name.Length, valueOffset, value.Length);
        ref var entry = ref _entries[Count - 1];
        entry = entry with { FieldCount = entry.FieldCount + 1 };
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_data.Length - _dataLength < bytes.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _dataLength + bytes.Length));
        }

        bytes.CopyTo(_data.AsSpan(_dataLength));
        var offset = _dataLength;
        _dataLength += bytes.Length;
        return offset;
    }

    private readonly record struct Entry(StreamId Id, int FirstField, int FieldCount);

    private readonly record struct Field(int NameOffset, int NameLength, int ValueOffset, int ValueLength);
}
