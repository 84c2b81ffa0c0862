using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace Platform.Api.Resp.Protocol;

/// <summary>
/// Number parsing and formatting with Redis's exact rules, so that what Redis rejects we reject:
/// <c>string2ll</c> takes no sign but '-', no leading zeros, no spaces, at most 20 characters.
/// </summary>
internal static class RedisNumbers
{
    /// <summary>Longest text of a 64-bit integer, sign included.</summary>
    public const int MaxInt64Length = 20;

    /// <summary>Parses like Redis's <c>string2ll</c>.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > MaxInt64Length)
        {
            return false;
        }

        if (text.Length == 1 && text[0] == (byte)'0')
        {
            return true;
        }

        var negative = text[0] == (byte)'-';
        var i = negative ? 1 : 0;
        if (i == text.Length || text[i] < (byte)'1' || text[i] > (byte)'9')
        {
            return false;
        }

        ulong magnitude = 0;
        for (; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - (byte)'0');
            if (digit > 9)
            {
                return false;
            }

            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = unchecked(-(long)magnitude);
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }

    /// <summary>
    /// Parses a memory amount like Redis 7.0's <c>memtoull</c>: digits and an optional unit
    /// (b, k, kb, m, mb, g, gb; k is 1000 and kb 1024), case-insensitive, overflow included.
    /// </summary>
    public static bool TryParseMemory(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            return false;
        }

        var digits = 0;
        while (digits < text.Length && (uint)(text[digits] - (byte)'0') <= 9)
        {
            digits++;
        }

        ulong multiplier;
        var unit = text[digits..];
        if (unit.Length == 0 || Ascii.EqualsIgnoreCase(unit, "b"u8))
        {
            multiplier = 1;
        }
        else if (Ascii.EqualsIgnoreCase(unit, "k"u8))
        {
            multiplier = 1000;
        }
        else if (Ascii.EqualsIgnoreCase(unit, "kb"u8))
        {
            multiplier = 1024;
        }
        else if (Ascii.EqualsIgnoreCase(unit, "m"u8))
        {
            multiplier = 1000 * 1000;
        }
        else if (Ascii.EqualsIgnoreCase(unit, "mb"u8))
        {
            multiplier = 1024 * 1024;
        }
        else if (Ascii.EqualsIgnoreCase(unit, "g"u8))
        {
            multiplier = 1000L * 1000 * 1000;
        }
        else if (Ascii.EqualsIgnoreCase(unit, "gb"u8))
        {
            multiplier = 1024L * 1024 * 1024;
        }
        else
        {
            return false;
        }

        if (digits >= 128)
        {
            return false;
        }

        // strtoull of no digits is 0 with no error, so Redis takes "mb" as 0; too many digits
        // saturate at ULLONG_MAX (ERANGE is not checked), and the unit's multiplication wraps.
        ulong number = 0;
        foreach (var b in text[..digits])
        {
            var digit = (uint)(b - (byte)'0');
            number = number > (ulong.MaxValue - digit) / 10 ? ulong.MaxValue : (number * 10) + digit;
        }

        value = unchecked(number * multiplier);
        return true;
    }

    /// <summary>Writes the decimal text of <paramref name="value"/>; returns the bytes written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Format(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        return written;
    }

    /// <summary>Number of decimal digits (and sign) of <paramref name="value"/>.</summary>
    public static int DigitCount(long value)
    {
        if (value < 0)
        {
            return value == long.MinValue ? 20 : 1 + DigitCount(-value);
        }

        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
