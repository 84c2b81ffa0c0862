using System.Text;

namespace Platform.Grains.Serialization;

/// <summary>Reads what <see cref="ByteWriter"/> wrote; throws <see cref="InvalidDataException"/> on corrupt input.</summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads from <paramref name="data"/>.</summary>
    public SpanReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Whether everything was read.</summary>
    public readonly bool End => _position >= _data.Length;

    /// <summary>An unsigned integer.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Corrupt();
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Corrupt();
    }

    /// <summary>A signed integer.</summary>
    public long ReadSigned()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Length-prefixed bytes (a view of the input).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Corrupt();
        }

        var bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>A grain key or name.</summary>
    public string ReadKey() => Encoding.Latin1.GetString(ReadBytes());

    /// <summary>A stream ID.</summary>
    public Streams.StreamId ReadId() => new(ReadVarint(), ReadVarint());

    private static InvalidDataException Corrupt() => new("Stored grain state is truncated or corrupt.");
}
