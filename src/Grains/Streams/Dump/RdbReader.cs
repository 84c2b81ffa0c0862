using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Platform.Grains.Streams.Dump;

/// <summary>Reads what <see cref="RdbWriter"/> writes, and the other encodings Redis writes: integer-encoded and LZF-compressed strings.</summary>
internal ref struct RdbReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public byte ReadByte() => Take(1)[0];

    public ulong ReadLength()
    {
        var value = ReadLength(out var encoded);
        return encoded ? throw Bad() : value;
    }

    /// <summary>A string in any of Redis's encodings.</summary>
    public byte[] ReadString()
    {
        var length = ReadLength(out var encoded);
        if (!encoded)
        {
            return Take(Checked(length)).ToArray();
        }

        return length switch
        {
            0 => Decimal((sbyte)ReadByte()),
            1 => Decimal(BinaryPrimitives.ReadInt16LittleEndian(Take(2))),
            2 => Decimal(BinaryPrimitives.ReadInt32LittleEndian(Take(4))),
            3 => ReadCompressed(),
            _ => throw Bad(),
        };
    }

    public long ReadMilliseconds() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public StreamId ReadRawId()
    {
        var raw = Take(16);
        return new StreamId(BinaryPrimitives.ReadUInt64BigEndian(raw), BinaryPrimitives.ReadUInt64BigEndian(raw[8..]));
    }

    private ulong ReadLength(out bool encoded)
    {
        var first = ReadByte();
        encoded = false;
        switch (first >> 6)
        {
            case 0:
                return first;
            case 1:
                return ((ulong)(first & 0x3f) << 8) | ReadByte();
            case 3:
                encoded = true;
                return (ulong)(first & 0x3f);
        }

        return first switch
        {
            0x80 => BinaryPrimitives.ReadUInt32BigEndian(Take(4)),
            0x81 => BinaryPrimitives.ReadUInt64BigEndian(Take(8)),
            _ => throw Bad(),
        };
    }

    private byte[] ReadCompressed()
    {
        var compressed = Checked(ReadLength());
        var length = Checked(ReadLength());
        return Lzf.Decompress(Take(compressed), length) ?? throw Bad();
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Bad();
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private static int Checked(ulong length) => length <= int.MaxValue ? (int)length : throw Bad();

    private static byte[] Decimal(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static InvalidDataException Bad() => new("Bad data format");
}
