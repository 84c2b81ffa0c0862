using System.Globalization;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>A parsed reply frame, for tests that look inside replies (RESP2 and RESP3; maps become flat arrays).</summary>
internal sealed record RespValue(char Type, string? Text, long Integer, IReadOnlyList<RespValue>? Items)
{
    /// <summary>A null (RESP2 <c>$-1</c>/<c>*-1</c> or RESP3 <c>_</c>).</summary>
    public bool IsNull => Type == '_' || (Type is '$' or '*' && Text is null && Items is null);

    public bool IsError => Type == '-';

    public IReadOnlyList<RespValue> Array => Items ?? throw new InvalidOperationException($"Not an array: {this}");

    public string Str => Text ?? throw new InvalidOperationException($"Not a string: {this}");

    public long Int => Type == ':' ? Integer : long.Parse(Str, CultureInfo.InvariantCulture);

    /// <summary>A flat array of name/value pairs (RESP2) or a map (RESP3) as a dictionary of names to values.</summary>
    public Dictionary<string, RespValue> Map()
    {
        var map = new Dictionary<string, RespValue>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < Array.Count; i += 2)
        {
            map[Array[i].Str] = Array[i + 1];
        }

        return map;
    }

    public static RespValue Parse(byte[] frame)
    {
        var position = 0;
        return Parse(frame, ref position);
    }

    public override string ToString() => Items is not null ? $"{Type}[{string.Join(", ", Items)}]" : $"{Type}{Text ?? Integer.ToString(CultureInfo.InvariantCulture)}";

    private static RespValue Parse(byte[] data, ref int position)
    {
        var type = (char)data[position];
        var lineEnd = System.Array.IndexOf(data, (byte)'\r', position);
        var header = Encoding.Latin1.GetString(data, position + 1, lineEnd - position - 1);
        position = lineEnd + 2;
        switch (type)
        {
            case '+' or '-' or ',' or '#' or '(':
                return new RespValue(type, header, 0, null);
            case ':':
                return new RespValue(type, header, long.Parse(header, CultureInfo.InvariantCulture), null);
            case '_':
                return new RespValue(type, null, 0, null);
            case '$' or '!' or '=':
                {
                    var length = int.Parse(header, CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return new RespValue('$', null, 0, null);
                    }

                    var text = Encoding.Latin1.GetString(data, position, length);
                    position += length + 2;
                    return new RespValue('$', text, 0, null);
                }

            default:
                {
                    var count = int.Parse(header, CultureInfo.InvariantCulture);
                    if (count < 0)
                    {
                        return new RespValue('*', null, 0, null);
                    }

                    if (type is '%' or '|')
                    {
                        count *= 2;
                    }

                    var items = new List<RespValue>(count);
                    for (var i = 0; i < count; i++)
                    {
                        items.Add(Parse(data, ref position));
                    }

                    return new RespValue(type is '%' ? '*' : type, null, 0, items);
                }
        }
    }
}
