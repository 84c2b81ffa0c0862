using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Platform.Grains.Streams.Dump;

/// <summary>
/// Redis's listpack, the node of its streams' radix tree: a 6-byte header (total bytes, element
/// count), elements each encoded with its length after it (backlen), and 0xFF.
/// </summary>
internal sealed class ListpackWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private int _count;

    public ListpackWriter() => _buffer.Advance(6);

    public void Add(long value)
    {
        Span<byte> encoded = stackalloc byte[9];
        int length;
        if (value is >= 0 and <= 127)
        {
            encoded[0] = (byte)value;
            length = 1;
        }
        else if (value is >= -4096 and <= 4095)
        {
            var bits = value < 0 ? (1 << 13) + value : value;
            encoded[0] = (byte)(0xc0 | (bits >> 8));
            encoded[1] = (byte)bits;
            length = 2;
        }
        else if (value is >= short.MinValue and <= short.MaxValue)
        {
            encoded[0] = 0xf1;
            BinaryPrimitives.WriteInt16LittleEndian(encoded[1..], (short)value);
            length = 3;
        }
        else if (value is >= -(1 << 23) and < 1 << 23)
        {
            encoded[0] = 0xf2;
            encoded[1] = (byte)value;
            encoded[2] = (byte)(value >> 8);
            encoded[3] = (byte)(value >> 16);
            length = 4;
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            encoded[0] = 0xf3;
            BinaryPrimitives.WriteInt32LittleEndian(encoded[1..], (int)value);
            length = 5;
        }
        else
        {
            encoded[0] = 0xf4;
            BinaryPrimitives.WriteInt64LittleEndian(encoded[1..], value);
            length = 9;
        }

        Append(encoded[..length], []);
    }

    public void Add(ReadOnlySpan<byte> value)
    {
        Span<byte> header = stackalloc byte[5];
        int length;
        if (value.Length < 64)
        {
            header[0] = (byte)(0x80 | value.Length);
            length = 1;
        }
        else if (value.Length < 4096)
        {
            header[0] = (byte)(0xe0 | (value.Length >> 8));
            header[1] = (byte)value.Length;
            length = 2;
        }
        else
        {
            header[0] = 0xf0;
            BinaryPrimitives.WriteInt32LittleEndian(header[1..], value.Length);
            length = 5;
        }

        Append(header[..length], value);
    }

    /// <summary>The listpack, with its header and end written.</summary>
    public byte[] ToArray()
    {
        _buffer.Write([(byte)0xff]);
        var bytes = _buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), (ushort)Math.Min(_count, ushort.MaxValue));
        return bytes;
    }

    private void Append(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        _buffer.Write(header);
        _buffer.Write(data);
        Span<byte> backlen = stackalloc byte[5];
        _buffer.Write(backlen[..Listpack.EncodeBacklen(header.Length + data.Length, backlen)]);
        _count++;
    }
}

/// <summary>Reads a listpack's elements in order, integers as their decimal text.</summary>
internal ref struct ListpackReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ListpackReader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(data) != data.Length || data[^1] != 0xff)
        {
            throw new InvalidDataException("Bad data format");
        }

        _data = data;
        _position = 6;
    }

    public readonly bool End => _data[_position] == 0xff;

    /// <summary>
    /// A count of elements still to come: never more than the bytes left could hold (two each),
    /// so that a payload cannot make its reader allocate for elements it does not have.
    /// </summary>
    public int ReadCount()
    {
        var count = ReadInteger();
        return count >= 0 && count <= (_data.Length - _position) / 2 ? (int)count : throw new InvalidDataException("Bad data format");
    }

    public long ReadInteger()
    {
        var (value, text) = Read();
        return text is null ? value
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw new InvalidDataException("Bad data format");
    }

    public byte[] ReadString()
    {
        var (value, text) = Read();
        return text?.ToArray() ?? Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
    }

    private (long Value, byte[]? Text) Read()
    {
        var start = _position;
        var first = Byte(start);
        long value = 0;
        byte[]? text = null;
        int size;
        if ((first & 0x80) == 0)
        {
            value = first;
            size = 1;
        }
        else if ((first & 0xc0) == 0x80)
        {
            text = Bytes(start + 1, first & 0x3f);
            size = 1 + text.Length;
        }
        else if ((first & 0xe0) == 0xc0)
        {
            var bits = ((first & 0x1f) << 8) | Byte(start + 1);
            value = bits >= 1 << 12 ? bits - (1 << 13) : bits;
            size = 2;
        }
        else if ((first & 0xf0) == 0xe0)
        {
            text = Bytes(start + 2, ((first & 0x0f) << 8) | Byte(start + 1));
            size = 2 + text.Length;
        }
        else
        {
            switch (first)
            {
                case 0xf0:
                    text = Bytes(start + 5, BinaryPrimitives.ReadInt32LittleEndian(Slice(start + 1, 4)));
                    size = 5 + text.Length;
                    break;
                case 0xf1:
                    value = BinaryPrimitives.ReadInt16LittleEndian(Slice(start + 1, 2));
                    size = 3;
                    break;
                case 0xf2:
                    var raw = Slice(start + 1, 3);
                    value = (raw[0] | (raw[1] << 8) | (raw[2] << 16)) << 8 >> 8;
                    size = 4;
                    break;
                case 0xf3:
                    value = BinaryPrimitives.ReadInt32LittleEndian(Slice(start + 1, 4));
                    size = 5;
                    break;
                case 0xf4:
                    value = BinaryPrimitives.ReadInt64LittleEndian(Slice(start + 1, 8));
                    size = 9;
                    break;
                default:
                    throw new InvalidDataException("Bad data format");
            }
        }

        Span<byte> backlen = stackalloc byte[5];
        _position = start + size + Listpack.EncodeBacklen(size, backlen);
        if (_position >= _data.Length)
        {
            throw new InvalidDataException("Bad data format");
        }

        return (value, text);
    }

    private readonly byte Byte(int at) => at < _data.Length - 1 ? _data[at] : throw new InvalidDataException("Bad data format");

    private readonly ReadOnlySpan<byte> Slice(int at, int length) =>
        length >= 0 && length < _data.Length - at ? _data.Slice(at, length) : throw new InvalidDataException("Bad data format");

    private readonly byte[] Bytes(int at, int length) => Slice(at, length).ToArray();
}

/// <summary>What the writer and the reader share.</summary>
internal static class Listpack
{
    /// <summary>Writes the backlen of an element of <paramref name="length"/> bytes; returns its size.</summary>
    public static int EncodeBacklen(int length, Span<byte> output)
    {
        var groups = length <= 127 ? 1 : length < 16383 ? 2 : length < 2097151 ? 3 : length < 268435455 ? 4 : 5;
        for (var i = 0; i < groups; i++)
        {
            var bits = (length >> (7 * (groups - 1 - i))) & 127;
            output[i] = (byte)(i == 0 ? bits : bits | 128);
        }

        return groups;
    }
}
