using System.Buffers.Text;

namespace Platform.Grains.Streams;

/// <summary>A stream entry ID: milliseconds and a sequence number, ordered as (ms, seq).</summary>
public readonly record struct StreamId(ulong Ms, ulong Seq) : IComparable<StreamId>
{
    /// <summary>0-0: smaller than every entry's ID.</summary>
    public static readonly StreamId Min = new(0, 0);

    /// <summary>The largest ID there can be.</summary>
    public static readonly StreamId Max = new(ulong.MaxValue, ulong.MaxValue);

    /// <summary>Longest text of an ID: two 20-digit numbers and a dash.</summary>
    public const int MaxTextLength = 41;

    /// <summary>Whether this is 0-0.</summary>
    public bool IsZero => Ms == 0 && Seq == 0;

    /// <inheritdoc/>
    public int CompareTo(StreamId other) => Ms != other.Ms ? Ms.CompareTo(other.Ms) : Seq.CompareTo(other.Seq);

    /// <summary>The next ID, or false past <see cref="Max"/> (Redis's streamIncrID).</summary>
    public bool TryIncrement(out StreamId next)
    {
        if (Seq != ulong.MaxValue)
        {
            next = new StreamId(Ms, Seq + 1);
            return true;
        }

        if (Ms != ulong.MaxValue)
        {
            next = new StreamId(Ms + 1, 0);
            return true;
        }

        next = Min;
        return false;
    }

    /// <summary>The previous ID, or false before <see cref="Min"/> (Redis's streamDecrID).</summary>
    public bool TryDecrement(out StreamId previous)
    {
        if (Seq != 0)
        {
            previous = new StreamId(Ms, Seq - 1);
            return true;
        }

        if (Ms != 0)
        {
            previous = new StreamId(Ms - 1, ulong.MaxValue);
            return true;
        }

        previous = Max;
        return false;
    }

    /// <summary>Writes "ms-seq"; returns the bytes written.</summary>
    public int Format(Span<byte> destination)
    {
        Utf8Formatter.TryFormat(Ms, destination, out var written);
        destination[written++] = (byte)'-';
        Utf8Formatter.TryFormat(Seq, destination[written..], out var seq);
        return written + seq;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Ms}-{Seq}";

    /// <summary>Less than.</summary>
    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    /// <summary>Greater than.</summary>
    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;
}
