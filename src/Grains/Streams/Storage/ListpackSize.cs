namespace Platform.Grains.Streams.Storage;

/// <summary>
/// The size Redis's listpack encoding gives an element, so that entry blocks split exactly where
/// Redis's stream nodes do (a node holds at most 100 entries and about 4 KiB): approximate
/// trimming (<c>~</c>) removes whole nodes, and XINFO reports their count, so both must agree
/// with Redis for the replies to be the same.
/// </summary>
internal static class ListpackSize
{
    /// <summary>An empty listpack: total-bytes, element count and end marker.</summary>
    public const int Empty = 4 + 2 + 1;

    /// <summary>A string element; stored as an integer when it reads as one, as Redis does.</summary>
    public static int OfString(ReadOnlySpan<byte> value)
    {
        if (TryReadInteger(value, out var number))
        {
            return OfInteger(number);
        }

        var encoded = value.Length < 64 ? 1 + value.Length
            : value.Length < 4096 ? 2 + value.Length
            : 5 + value.Length;
        return encoded + BacklenSize(encoded);
    }

    /// <summary>An integer element.</summary>
    public static int OfInteger(long value)
    {
        var encoded = value switch
        {
            >= 0 and <= 127 => 1,
            >= -4096 and <= 4095 => 2,
            >= short.MinValue and <= short.MaxValue => 3,
            >= -8388608 and <= 8388607 => 4,
            >= int.MinValue and <= int.MaxValue => 5,
            _ => 9,
        };
        return encoded + BacklenSize(encoded);
    }

    private static int BacklenSize(int length) => length switch
    {
        <= 127 => 1,
        < 16383 => 2,
        < 2097151 => 3,
        < 268435455 => 4,
        _ => 5,
    };

    // listpack's lpStringToInt64: string2ll's rules.
    private static bool TryReadInteger(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 20)
        {
            return false;
        }

        if (text.Length == 1 && text[0] == '0')
        {
            return true;
        }

        var negative = text[0] == '-';
        var i = negative ? 1 : 0;
        if (i == text.Length || text[i] < '1' || text[i] > '9')
        {
            return false;
        }

        ulong magnitude = 0;
        for (; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9 || magnitude > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
        {
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }
}
