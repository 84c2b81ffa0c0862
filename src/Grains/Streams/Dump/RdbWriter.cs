using System.Buffers;
using System.Buffers.Binary;

namespace Platform.Grains.Streams.Dump;

/// <summary>Redis's RDB encodings, as a DUMP payload needs them: lengths, strings, times, raw IDs.</summary>
internal sealed class RdbWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void WriteByte(byte value) => _buffer.Write([value]);

    /// <summary>A length: 6 bits, 14 bits, or a marker and 32 or 64 bits big-endian.</summary>
    public void WriteLength(ulong value)
    {
        if (value < 1 << 6)
        {
            WriteByte((byte)value);
        }
        else if (value < 1 << 14)
        {
            _buffer.Write([(byte)(0x40 | (value >> 8)), (byte)value]);
        }
        else if (value <= uint.MaxValue)
        {
            var span = _buffer.GetSpan(5);
            span[0] = 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            _buffer.Advance(5);
        }
        else
        {
            var span = _buffer.GetSpan(9);
            span[0] = 0x81;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            _buffer.Advance(9);
        }
    }

    /// <summary>A string as its length and bytes (never integer-encoded or compressed: both optional).</summary>
    public void WriteString(ReadOnlySpan<byte> value)
    {
        WriteLength((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A time in milliseconds: 8 bytes little-endian.</summary>
    public void WriteMilliseconds(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>A stream ID as Redis keeps it in its radix trees: 16 bytes big-endian.</summary>
    public void WriteRawId(StreamId id)
    {
        var span = _buffer.GetSpan(16);
        BinaryPrimitives.WriteUInt64BigEndian(span, id.Ms);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], id.Seq);
        _buffer.Advance(16);
    }

    public void WriteRaw(ReadOnlySpan<byte> value) => _buffer.Write(value);
}
