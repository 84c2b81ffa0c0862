using System.Buffers;
using System.Buffers.Text;

namespace Platform.Client.Protocol;

/// <summary>
/// Finds where the next complete RESP2/RESP3 frame ends in the receive buffer without copying it.
/// A frame that has not fully arrived is left in the pipe; the scanner remembers how far it got
/// (the offset of the first value it has not finished and how many values are still owed), so a
/// large reply arriving in many reads is scanned once, not once per read.
/// </summary>
internal struct FrameScanner
{
    private long _offset;
    private long _remaining;

    /// <summary>
    /// True when a whole frame starts at the beginning of <paramref name="buffer"/>;
    /// <paramref name="length"/> is then its length in bytes.
    /// </summary>
    public bool TryScan(in ReadOnlySequence<byte> buffer, out long length)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (_remaining == 0)
        {
            _offset = 0;
            _remaining = 1;
        }
        else
        {
            reader.Advance(_offset);
        }

        while (_remaining > 0)
        {
            var start = reader.Consumed;
            if (!reader.TryRead(out var type) || !reader.TryReadTo(out ReadOnlySpan<byte> line, "\r\n"u8))
            {
                _offset = start;
                length = 0;
                return false;
            }

            switch (type)
            {
                case (byte)'+':
                case (byte)'-':
                case (byte)':':
                case (byte)',':
                case (byte)'(':
                case (byte)'#':
                case (byte)'_':
                    _remaining--;
                    break;
                case (byte)'$':
                case (byte)'=':
                case (byte)'!':
                    {
                        var size = ParseLength(line);
                        if (size >= 0)
                        {
                            if (reader.Remaining < size + 2)
                            {
                                _offset = start;
                                length = 0;
                                return false;
                            }

                            reader.Advance(size + 2);
                        }

                        _remaining--;
                        break;
                    }

                case (byte)'*':
                case (byte)'~':
                case (byte)'>':
                    _remaining += Math.Max(ParseLength(line), 0) - 1;
                    break;
                case (byte)'%':
                    _remaining += (2 * Math.Max(ParseLength(line), 0)) - 1;
                    break;
                case (byte)'|':
                    // An attribute map comes before the value it describes: its pairs, then that value.
                    _remaining += 2 * Math.Max(ParseLength(line), 0);
                    break;
                default:
                    throw new PlatformProtocolException($"The server sent an unknown RESP type byte 0x{type:x2}.");
            }
        }

        length = reader.Consumed;
        _offset = 0;
        return true;
    }

    /// <summary>Forgets a partly scanned frame (the connection is gone).</summary>
    public void Reset()
    {
        _offset = 0;
        _remaining = 0;
    }

    private static long ParseLength(ReadOnlySpan<byte> line)
    {
        if (!Utf8Parser.TryParse(line, out long value, out var consumed) || consumed != line.Length || value < -1)
        {
            throw new PlatformProtocolException($"The server sent an invalid length '{Encoding.UTF8.GetString(line)}'.");
        }

        return value;
    }
}
