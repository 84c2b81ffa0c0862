using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Platform.Client;

/// <summary>A stream entry ID: milliseconds and a sequence number, written "ms-seq", ordered like (ms, seq).</summary>
public readonly struct StreamId : IEquatable<StreamId>, IComparable<StreamId>, ISpanFormattable
{
    /// <summary>Creates an ID.</summary>
    public StreamId(ulong milliseconds, ulong sequence)
    {
        Milliseconds = milliseconds;
        Sequence = sequence;
    }

    /// <summary>0-0, the smallest ID.</summary>
    public static StreamId Zero => default;

    /// <summary>The largest ID.</summary>
    public static StreamId MaxValue => new(ulong.MaxValue, ulong.MaxValue);

    /// <summary>The milliseconds part.</summary>
    public ulong Milliseconds { get; }

    /// <summary>The sequence part.</summary>
    public ulong Sequence { get; }

    /// <summary>Whether two IDs are equal.</summary>
    public static bool operator ==(StreamId left, StreamId right) => left.Equals(right);

    /// <summary>Whether two IDs differ.</summary>
    public static bool operator !=(StreamId left, StreamId right) => !left.Equals(right);

    /// <summary>Orders IDs.</summary>
    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    /// <summary>Orders IDs.</summary>
    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    /// <summary>Orders IDs.</summary>
    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders IDs.</summary>
    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;

    /// <summary>Parses "ms-seq" (or "ms", meaning ms-0).</summary>
    public static StreamId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a stream ID (ms-seq).");

    /// <summary>Parses "ms-seq" (or "ms").</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out StreamId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        var dash = text.IndexOf('-');
        var ms = dash < 0 ? text.AsSpan() : text.AsSpan(0, dash);
        ulong seq = 0;
        if (!ulong.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) ||
            (dash >= 0 && !ulong.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out seq)))
        {
            return false;
        }

        id = new StreamId(milliseconds, seq);
        return true;
    }

    /// <summary>Parses the UTF-8 bytes of "ms-seq" (as servers send them).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out StreamId id)
    {
        id = default;
        var dash = text.IndexOf((byte)'-');
        var ms = dash < 0 ? text : text[..dash];
        ulong seq = 0;
        if (!Utf8Parser.TryParse(ms, out ulong milliseconds, out var used) || used != ms.Length)
        {
            return false;
        }

        if (dash >= 0 && (!Utf8Parser.TryParse(text[(dash + 1)..], out seq, out used) || used != text.Length - dash - 1))
        {
            return false;
        }

        id = new StreamId(milliseconds, seq);
        return true;
    }

    /// <summary>The smallest ID greater than this one.</summary>
    public StreamId Next() => Sequence == ulong.MaxValue ? new StreamId(Milliseconds + 1, 0) : new StreamId(Milliseconds, Sequence + 1);

    /// <inheritdoc />
    public int CompareTo(StreamId other)
    {
        var byMs = Milliseconds.CompareTo(other.Milliseconds);
        return byMs != 0 ? byMs : Sequence.CompareTo(other.Sequence);
    }

    /// <inheritdoc />
    public bool Equals(StreamId other) => Milliseconds == other.Milliseconds && Sequence == other.Sequence;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Milliseconds, Sequence);

    /// <summary>"ms-seq".</summary>
    public override string ToString() => FormattableString.Invariant($"{Milliseconds}-{Sequence}");

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}", out charsWritten);

    /// <summary>Writes "ms-seq" as UTF-8.</summary>
    internal bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!Utf8Formatter.TryFormat(Milliseconds, destination, out var a) || a >= destination.Length)
        {
            return false;
        }

        destination[a] = (byte)'-';
        if (!Utf8Formatter.TryFormat(Sequence, destination[(a + 1)..], out var b))
        {
            return false;
        }

        bytesWritten = a + 1 + b;
        return true;
    }
}
