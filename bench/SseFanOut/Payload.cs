using System.Buffers.Text;

namespace Platform.Bench.SseFanOut;

/// <summary>
/// A message: "TS:" and its send time (Stopwatch ticks, 16 hex digits), then filler. Text, so the
/// same payload goes as JSON text over SSE and as a bulk string over RESP, and the marker is found
/// wherever the protocol's framing puts it.
/// </summary>
internal static class Payload
{
    /// <summary>The marker and the timestamp.</summary>
    public const int MinimumSize = 3 + 16;

    /// <summary>What starts every payload.</summary>
    public static ReadOnlySpan<byte> Marker => "TS:"u8;

    /// <summary>Writes the send time into a payload's first bytes.</summary>
    public static void Stamp(Span<byte> payload, long timestamp)
    {
        Marker.CopyTo(payload);
        Utf8Formatter.TryFormat(timestamp, payload[3..], out _, new System.Buffers.StandardFormat('X', 16));
    }

    /// <summary>Reads the send time that follows a marker.</summary>
    public static long ReadStamp(ReadOnlySpan<byte> afterMarker) =>
        Utf8Parser.TryParse(afterMarker[..16], out long timestamp, out _, 'X') ? timestamp : throw new FormatException("bad timestamp");
}
