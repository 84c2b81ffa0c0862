namespace Platform.Client;

/// <summary>One field of a stream entry: name and value as bytes, with string helpers.</summary>
public readonly struct StreamField
{
    /// <summary>Creates a field from bytes.</summary>
    public StreamField(ReadOnlyMemory<byte> name, ReadOnlyMemory<byte> value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>Creates a field from text (UTF-8).</summary>
    public StreamField(string name, string value)
        : this(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value))
    {
    }

    /// <summary>Creates a field with a text name and a binary value.</summary>
    public StreamField(string name, ReadOnlyMemory<byte> value)
        : this(Encoding.UTF8.GetBytes(name), value)
    {
    }

    /// <summary>The field name.</summary>
    public ReadOnlyMemory<byte> Name { get; }

    /// <summary>The field value.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The name decoded as UTF-8.</summary>
    public string NameString => Encoding.UTF8.GetString(Name.Span);

    /// <summary>The value decoded as UTF-8.</summary>
    public string ValueString => Encoding.UTF8.GetString(Value.Span);

    /// <summary>A text field from a (name, value) pair.</summary>
    public static implicit operator StreamField((string Name, string Value) pair) => new(pair.Name, pair.Value);

    /// <summary>A text field from a (name, value) pair.</summary>
    public static StreamField FromValueTuple((string Name, string Value) pair) => pair;

    /// <summary>"name=value".</summary>
    public override string ToString() => $"{NameString}={ValueString}";
}

/// <summary>
/// A stream entry: its ID and fields. The fields of one entry share one copied buffer (the only
/// allocation for its payload). An entry deleted while it was pending comes back from a history
/// read with no fields (<see cref="IsDeleted"/>).
/// </summary>
public sealed class StreamEntry
{
    /// <summary>Creates an entry.</summary>
    public StreamEntry(StreamId id, IReadOnlyList<StreamField> fields, bool isDeleted = false)
    {
        Id = id;
        Fields = fields;
        IsDeleted = isDeleted;
    }

    /// <summary>The entry's ID.</summary>
    public StreamId Id { get; }

    /// <summary>The fields in the order they were added.</summary>
    public IReadOnlyList<StreamField> Fields { get; }

    /// <summary>True when the entry no longer exists (a pending entry that was deleted).</summary>
    public bool IsDeleted { get; }

    /// <summary>The value of the first field named <paramref name="name"/>, or null.</summary>
    public ReadOnlyMemory<byte>? this[string name] => TryGetValue(name, out var value) ? value : (ReadOnlyMemory<byte>?)null;

    /// <summary>Finds the first field named <paramref name="name"/>.</summary>
    public bool TryGetValue(string name, out ReadOnlyMemory<byte> value)
    {
        Span<byte> utf8 = stackalloc byte[256];
        var key = Encoding.UTF8.GetMaxByteCount(name.Length) <= utf8.Length
            ? utf8[..Encoding.UTF8.GetBytes(name, utf8)]
            : Encoding.UTF8.GetBytes(name);
        foreach (var field in Fields)
        {
            if (field.Name.Span.SequenceEqual(key))
            {
                value = field.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value of the field named <paramref name="name"/> as text, or null.</summary>
    public string? GetString(string name) => TryGetValue(name, out var value) ? Encoding.UTF8.GetString(value.Span) : null;

    /// <summary>"id {name=value, ...}".</summary>
    public override string ToString() => IsDeleted ? $"{Id} (deleted)" : $"{Id} {{{string.Join(", ", Fields)}}}";
}

/// <summary>The entries one stream returned to XREAD / XREADGROUP.</summary>
public sealed class StreamReadResult
{
    /// <summary>Creates a result.</summary>
    public StreamReadResult(string stream, IReadOnlyList<StreamEntry> entries)
    {
        Stream = stream;
        Entries = entries;
    }

    /// <summary>The stream's key.</summary>
    public string Stream { get; }

    /// <summary>The entries, oldest first.</summary>
    public IReadOnlyList<StreamEntry> Entries { get; }
}

/// <summary>One stream of a multi-stream XREAD / XREADGROUP: its key and where to read from.</summary>
public readonly struct StreamReadRequest
{
    /// <summary>Creates a request.</summary>
    public StreamReadRequest(string stream, StreamPosition position)
    {
        Stream = stream;
        Position = position;
    }

    /// <summary>The stream's key.</summary>
    public string Stream { get; }

    /// <summary>Where to read from.</summary>
    public StreamPosition Position { get; }
}
