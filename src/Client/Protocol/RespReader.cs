using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Platform.Client.Protocol;

/// <summary>
/// Reads one complete RESP2/RESP3 frame in place (the scanner has checked it is whole). Values
/// are slices of the receive buffer; only what the caller keeps is copied out of it.
/// </summary>
internal ref struct RespReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public RespReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>The type byte of the next value ('$', '*', '%', ...), attributes skipped.</summary>
    public byte PeekType()
    {
        SkipAttributes();
        return _data[_position];
    }

    /// <summary>Whether the next value is an error ('-' or '!').</summary>
    public bool IsError => PeekType() is (byte)'-' or (byte)'!';

    /// <summary>Whether the next value is a null (RESP3 '_', RESP2 "$-1" or "*-1").</summary>
    public bool IsNull
    {
        get
        {
            var type = PeekType();
            return type == (byte)'_' ||
                (type is (byte)'$' or (byte)'*' && _data.Length > _position + 2 && _data[_position + 1] == (byte)'-');
        }
    }

    /// <summary>Whether the next value is an aggregate that holds other values.</summary>
    public bool IsAggregate => PeekType() is (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%';

    /// <summary>Reads an error's text.</summary>
    public string ReadErrorMessage() => Encoding.UTF8.GetString(ReadBlob(out _));

    /// <summary>Reads a bulk, simple or verbatim string (or a scalar's text); <paramref name="isNull"/> for a null.</summary>
    public ReadOnlySpan<byte> ReadBlob(out bool isNull)
    {
        var type = PeekType();
        _position++;
        var line = ReadLine();
        isNull = false;
        switch (type)
        {
            case (byte)'$':
            case (byte)'=':
            case (byte)'!':
                {
                    var size = ParseInt64(line);
                    if (size < 0)
                    {
                        isNull = true;
                        return default;
                    }

                    var value = _data.Slice(_position, (int)size);
                    _position += (int)size + 2;
                    // A verbatim string starts with its format: "txt:".
                    return type == (byte)'=' && value.Length >= 4 ? value[4..] : value;
                }

            case (byte)'+':
            case (byte)'-':
            case (byte)':':
            case (byte)',':
            case (byte)'(':
            case (byte)'#':
                return line;
            case (byte)'_':
                isNull = true;
                return default;
            case (byte)'*':
                if (ParseInt64(line) < 0)
                {
                    isNull = true;
                    return default;
                }

                break;
        }

        throw Unexpected(type, "a string");
    }

    /// <summary>Reads a string value as UTF-8 text; null for a null.</summary>
    public string? ReadString()
    {
        var value = ReadBlob(out var isNull);
        return isNull ? null : Encoding.UTF8.GetString(value);
    }

    /// <summary>Reads a string value that must not be null.</summary>
    public string ReadRequiredString() => ReadString() ?? throw new PlatformProtocolException("The server sent a null where a string was expected.");

    /// <summary>Reads a string value into a new array; null for a null.</summary>
    public byte[]? ReadBytes()
    {
        var value = ReadBlob(out var isNull);
        return isNull ? null : value.ToArray();
    }

    /// <summary>Reads an integer (RESP integer, or a string holding one, as RESP2 replies sometimes do).</summary>
    public long ReadInt64()
    {
        var value = ReadBlob(out var isNull);
        if (isNull)
        {
            throw new PlatformProtocolException("The server sent a null where an integer was expected.");
        }

        return ParseInt64(value);
    }

    /// <summary>Reads an integer, or null for a null.</summary>
    public long? ReadNullableInt64()
    {
        if (IsNull)
        {
            Skip();
            return null;
        }

        return ReadInt64();
    }

    /// <summary>Reads a RESP3 double (or a string holding one).</summary>
    public double ReadDouble()
    {
        var value = ReadBlob(out _);
        return value switch
        {
            _ when value.SequenceEqual("inf"u8) => double.PositiveInfinity,
            _ when value.SequenceEqual("-inf"u8) => double.NegativeInfinity,
            _ when value.SequenceEqual("nan"u8) => double.NaN,
            _ => Utf8Parser.TryParse(value, out double d, out _) ? d : throw new PlatformProtocolException("The server sent an invalid double."),
        };
    }

    /// <summary>Reads "OK" or any simple string and checks nothing else came.</summary>
    public void ReadOk()
    {
        var type = PeekType();
        if (type != (byte)'+')
        {
            throw Unexpected(type, "OK");
        }

        ReadBlob(out _);
    }

    /// <summary>Reads a RESP3 boolean or a RESP2 integer 0/1.</summary>
    public bool ReadBoolean()
    {
        var type = PeekType();
        var value = ReadBlob(out _);
        return type == (byte)'#' ? value.Length == 1 && value[0] == (byte)'t' : ParseInt64(value) != 0;
    }

    /// <summary>Reads an array, set or push header: the element count, -1 for a null array.</summary>
    public int ReadArrayLength()
    {
        var type = PeekType();
        if (type == (byte)'_')
        {
            _position++;
            ReadLine();
            return -1;
        }

        if (type is not ((byte)'*' or (byte)'~' or (byte)'>'))
        {
            throw Unexpected(type, "an array");
        }

        _position++;
        return (int)ParseInt64(ReadLine());
    }

    /// <summary>
    /// Reads the header of a map: a RESP3 map ('%', n pairs) or a RESP2 flat array of 2n values.
    /// Returns the number of pairs, -1 for a null.
    /// </summary>
    public int ReadMapLength()
    {
        var type = PeekType();
        if (type == (byte)'%')
        {
            _position++;
            return (int)ParseInt64(ReadLine());
        }

        var length = ReadArrayLength();
        return length < 0 ? -1 : length / 2;
    }

    /// <summary>Whether the next string value equals <paramref name="expected"/> (ASCII case-insensitive); consumes nothing.</summary>
    public readonly bool PeekStringEquals(ReadOnlySpan<byte> expected)
    {
        var probe = this;
        var type = probe.PeekType();
        if (type is not ((byte)'$' or (byte)'+'))
        {
            return false;
        }

        var value = probe.ReadBlob(out var isNull);
        return !isNull && Ascii.EqualsIgnoreCase(value, expected);
    }

    /// <summary>Skips one whole value, aggregates included.</summary>
    public void Skip()
    {
        var remaining = 1L;
        while (remaining > 0)
        {
            var type = _data[_position++];
            var line = ReadLine();
            remaining--;
            switch (type)
            {
                case (byte)'$':
                case (byte)'=':
                case (byte)'!':
                    {
                        var size = ParseInt64(line);
                        if (size >= 0)
                        {
                            _position += (int)size + 2;
                        }

                        break;
                    }

                case (byte)'*':
                case (byte)'~':
                case (byte)'>':
                    remaining += Math.Max(ParseInt64(line), 0);
                    break;
                case (byte)'%':
                    remaining += 2 * Math.Max(ParseInt64(line), 0);
                    break;
                case (byte)'|':
                    remaining += (2 * Math.Max(ParseInt64(line), 0)) + 1;
                    break;
            }
        }
    }

    /// <summary>Reads the next value as a <see cref="RespValue"/> tree (for the untyped API).</summary>
    public RespValue ReadValue()
    {
        var type = PeekType();
        switch (type)
        {
            case (byte)'*':
            case (byte)'~':
            case (byte)'>':
                {
                    var length = ReadArrayLength();
                    if (length < 0)
                    {
                        return RespValue.Null;
                    }

                    var items = new RespValue[length];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = ReadValue();
                    }

                    return new RespValue(type == (byte)'~' ? RespValueKind.Set : type == (byte)'>' ? RespValueKind.Push : RespValueKind.Array, items);
                }

            case (byte)'%':
                {
                    var pairs = ReadMapLength();
                    var items = new RespValue[pairs * 2];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = ReadValue();
                    }

                    return new RespValue(RespValueKind.Map, items);
                }

            case (byte)'_':
                Skip();
                return RespValue.Null;
            case (byte)':':
                return new RespValue(ReadInt64());
            case (byte)'-':
            case (byte)'!':
                return new RespValue(RespValueKind.Error, ReadBytes()!);
            case (byte)'+':
                return new RespValue(RespValueKind.SimpleString, ReadBytes()!);
            case (byte)',':
                return new RespValue(ReadDouble());
            case (byte)'#':
                return new RespValue(ReadBoolean());
            case (byte)'(':
                return new RespValue(RespValueKind.BigNumber, ReadBytes()!);
            default:
                {
                    var bytes = ReadBytes();
                    return bytes is null ? RespValue.Null : new RespValue(RespValueKind.BulkString, bytes);
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipAttributes()
    {
        while (_data[_position] == (byte)'|')
        {
            // Attributes (RESP3 '|') describe the value that follows; nothing here uses them.
            _position++;
            var pairs = ParseInt64(ReadLine());
            for (var i = 0; i < pairs * 2; i++)
            {
                Skip();
            }
        }
    }

    private ReadOnlySpan<byte> ReadLine()
    {
        var rest = _data[_position..];
        var end = rest.IndexOf("\r\n"u8);
        if (end < 0)
        {
            throw new PlatformProtocolException("The server sent a truncated frame.");
        }

        _position += end + 2;
        return rest[..end];
    }

    private static long ParseInt64(ReadOnlySpan<byte> text)
    {
        if (!Utf8Parser.TryParse(text, out long value, out var consumed) || consumed != text.Length)
        {
            throw new PlatformProtocolException($"The server sent '{Encoding.UTF8.GetString(text)}' where an integer was expected.");
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PlatformProtocolException Unexpected(byte type, string expected) =>
        new($"The server sent a RESP '{(char)type}' value where {expected} was expected.");
}
