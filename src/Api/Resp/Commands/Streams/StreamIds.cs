using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>
/// Stream ID arguments, parsed as Redis's streamGenericParseIDOrReply does: "ms-seq", "ms" (the
/// sequence defaulting by context), "-" and "+" (unless strict), "ms-*" for XADD; each number as
/// string2ull reads it (strict first, then strtoull's leniency: leading blanks, '+', zeros).
/// </summary>
internal static class StreamIds
{
    /// <summary>Parses an ID; <paramref name="missingSequence"/> is the sequence of a bare "ms".</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, ulong missingSequence, bool strict, out StreamId id) =>
        TryParse(text, missingSequence, strict, allowAutoSequence: false, out id, out _);

    /// <summary>Parses an XADD ID, which may be "ms-*" (then <paramref name="sequenceGiven"/> is false).</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> text, ulong missingSequence, bool strict, bool allowAutoSequence, out StreamId id, out bool sequenceGiven)
    {
        id = default;
        sequenceGiven = true;
        if (text.Length > 127)
        {
            return false;
        }

        // Redis copies the argument into a C string: a NUL ends it.
        var nul = text.IndexOf((byte)0);
        if (nul >= 0)
        {
            text = text[..nul];
        }

        if (text.Length == 1 && (text[0] == '-' || text[0] == '+'))
        {
            if (strict)
            {
                return false;
            }

            id = text[0] == '-' ? StreamId.Min : StreamId.Max;
            return true;
        }

        var dash = text.IndexOf((byte)'-');
        if (!TryParseUnsigned(dash >= 0 ? text[..dash] : text, out var ms))
        {
            return false;
        }

        ulong seq;
        if (dash < 0)
        {
            seq = missingSequence;
        }
        else if (allowAutoSequence && text.Length - dash == 2 && text[dash + 1] == '*')
        {
            seq = 0;
            sequenceGiven = false;
        }
        else if (!TryParseUnsigned(text[(dash + 1)..], out seq))
        {
            return false;
        }

        id = new StreamId(ms, seq);
        return true;
    }

    /// <summary>An interval bound: an ID, or "(" and an ID for an exclusive one.</summary>
    public static bool TryParseBound(ReadOnlySpan<byte> text, ulong missingSequence, out StreamId id, out bool exclusive)
    {
        exclusive = text.Length > 1 && text[0] == '(';
        return exclusive
            ? TryParse(text[1..], missingSequence, strict: true, out id)
            : TryParse(text, missingSequence, strict: false, out id);
    }

    /// <summary>Writes "ms-seq" as a bulk string.</summary>
    public static void Write(Protocol.ReplyWriter reply, StreamId id)
    {
        Span<byte> text = stackalloc byte[StreamId.MaxTextLength];
        reply.WriteBulk(text[..id.Format(text)]);
    }

    // Redis's string2ull: string2ll when it accepts the text (and it is not negative), else strtoull.
    private static bool TryParseUnsigned(ReadOnlySpan<byte> text, out ulong value)
    {
        if (Protocol.RedisNumbers.TryParseInt64(text, out var signed))
        {
            value = (ulong)signed;
            return signed >= 0;
        }

        return TryStrtoull(text, out value);
    }

    // C's strtoull in base 10, with Redis's checks: ERANGE fails, trailing characters fail, no digits
    // fail, a '-' negates (wrapping) without failing.
    private static bool TryStrtoull(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r')
        {
            i++;
        }

        var negative = false;
        if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
        {
            negative = text[i] == '-';
            i++;
        }

        var digitsStart = i;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            var digit = (uint)(text[i] - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
            i++;
        }

        if (i == digitsStart || i != text.Length)
        {
            return false;
        }

        if (negative)
        {
            value = unchecked(0 - value);
        }

        return true;
    }
}
