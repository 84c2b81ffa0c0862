using System.Globalization;

namespace Platform.EndToEnd.Tests.Infrastructure;

/// <summary>
/// RESP2/RESP3 frame boundaries and a readable rendering of frames, for comparing replies.
/// Types: + - : _ , # ( (a line), $ ! = (a length and that many bytes; $-1 is RESP2's null),
/// * ~ > (a count of frames; *-1 is RESP2's null array), % | (a count of pairs; an attribute
/// '|' is followed by the frame it annotates, which belongs to the same reply).
/// </summary>
internal static class RespFrame
{
    /// <summary>The length of the complete frame at the start of <paramref name="data"/>, or -1 when incomplete.</summary>
    public static int Measure(ReadOnlySpan<byte> data) => Measure(data, 0);

    /// <summary>Splits <paramref name="data"/> into complete frames; an incomplete tail is returned apart.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> data, out byte[] rest)
    {
        var frames = new List<byte[]>();
        var position = 0;
        while (position < data.Length)
        {
            int length;
            try
            {
                length = Measure(data[position..]);
            }
            catch (FormatException)
            {
                length = -1;
            }

            if (length < 0)
            {
                break;
            }

            frames.Add(data.Slice(position, length).ToArray());
            position += length;
        }

        rest = data[position..].ToArray();
        return frames;
    }

    /// <summary>
    /// A one-line rendering of a frame: scalars as type + escaped text (<c>$"abc"</c>, <c>:5</c>),
    /// aggregates as type + count + elements (<c>*2[$"a", :1]</c>).
    /// </summary>
    public static string Render(ReadOnlySpan<byte> frame)
    {
        var text = new StringBuilder();
        Render(frame, 0, text, shapeOnly: false);
        return text.ToString();
    }

    /// <summary>The frame's structure only: types and counts, no scalar content (<c>*2[$…, $…]</c>).</summary>
    public static string Shape(ReadOnlySpan<byte> frame)
    {
        var text = new StringBuilder();
        Render(frame, 0, text, shapeOnly: true);
        return text.ToString();
    }

    /// <summary>Renders bytes that may hold several frames and a trailing partial one.</summary>
    public static string RenderAll(ReadOnlySpan<byte> data, bool shapeOnly = false)
    {
        var frames = Split(data, out var rest);
        var parts = frames.Select(f => shapeOnly ? Shape(f) : Render(f)).ToList();
        if (rest.Length > 0)
        {
            parts.Add("<partial> " + Escape(rest));
        }

        return string.Join("\n", parts);
    }

    /// <summary>Bytes as a C-like string literal body: printable ASCII as is, the rest escaped.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int max = 2000)
    {
        var text = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, max)])
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            });
        }

        if (bytes.Length > max)
        {
            text.Append(CultureInfo.InvariantCulture, $"…(+{bytes.Length - max} bytes)");
        }

        return text.ToString();
    }

    private static int Measure(ReadOnlySpan<byte> data, int position)
    {
        if (position >= data.Length)
        {
            return -1;
        }

        var type = data[position];
        var lineEnd = data[position..].IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return -1;
        }

        lineEnd += position;
        var next = lineEnd + 2;
        switch (type)
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                return next;
            case (byte)'$' or (byte)'!' or (byte)'=':
                {
                    var length = ParseNumber(data[(position + 1)..lineEnd]);
                    if (length < 0)
                    {
                        return next;
                    }

                    var end = next + length + 2;
                    return end <= data.Length ? (int)end : -1;
                }

            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                {
                    var count = ParseNumber(data[(position + 1)..lineEnd]);
                    if (type is (byte)'%' or (byte)'|')
                    {
                        count *= 2;
                    }

                    for (long i = 0; i < count; i++)
                    {
                        next = Measure(data, next);
                        if (next < 0)
                        {
                            return -1;
                        }
                    }

                    // An attribute annotates the frame that follows it.
                    return type == (byte)'|' ? Measure(data, next) : next;
                }

            default:
                throw new FormatException($"Not a RESP frame: {Escape(data[position..], 80)}");
        }
    }

    private static int Render(ReadOnlySpan<byte> data, int position, StringBuilder text, bool shapeOnly)
    {
        var type = (char)data[position];
        var lineEnd = position + data[position..].IndexOf("\r\n"u8);
        var header = data[(position + 1)..lineEnd];
        var next = lineEnd + 2;
        text.Append(type);
        switch (type)
        {
            case '+' or '-' or ':' or '_' or ',' or '#' or '(':
                text.Append(shapeOnly ? "…" : Escape(header));
                return next;
            case '$' or '!' or '=':
                {
                    var length = (int)ParseNumber(header);
                    if (length < 0)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{length}");
                        return next;
                    }

                    text.Append(shapeOnly ? "…" : "\"" + Escape(data.Slice(next, length), int.MaxValue) + "\"");
                    return next + length + 2;
                }

            default:
                {
                    var count = (int)ParseNumber(header);
                    text.Append(CultureInfo.InvariantCulture, $"{count}");
                    if (count < 0)
                    {
                        return next;
                    }

                    text.Append('[');
                    var elements = type is '%' or '|' ? count * 2 : count;
                    for (var i = 0; i < elements; i++)
                    {
                        if (i > 0)
                        {
                            text.Append(", ");
                        }

                        next = Render(data, next, text, shapeOnly);
                    }

                    text.Append(']');
                    if (type == '|')
                    {
                        text.Append(' ');
                        next = Render(data, next, text, shapeOnly);
                    }

                    return next;
                }
        }
    }

    private static long ParseNumber(ReadOnlySpan<byte> text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Bad RESP length: {Escape(text)}");
}
