using System.Buffers;
using System.Text;

namespace Platform.Grains.Serialization;

/// <summary>Writes the compact binary form of grain state and journal records: varints and length-prefixed bytes.</summary>
public sealed class ByteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>An empty writer.</summary>
    public ByteWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    /// <summary>What was written.</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>Forgets what was written, keeping the buffer for the next use.</summary>
    public void Clear() => _buffer.ResetWrittenCount();

    /// <summary>A copy of what was written.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>An unsigned integer, 7 bits a byte.</summary>
    public void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    /// <summary>A signed integer (zig-zag, then varint).</summary>
    public void WriteSigned(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Bytes, preceded by their length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A grain key or name (one char per byte, see <see cref="GrainKeys"/>).</summary>
    public void WriteKey(string key) => WriteBytes(Encoding.Latin1.GetBytes(key));

    /// <summary>A stream ID.</summary>
    public void WriteId(Streams.StreamId id)
    {
        WriteVarint(id.Ms);
        WriteVarint(id.Seq);
    }
}
