using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>
/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: a page of keys and the cursor of the
/// next one (0 when done). Keys present for the whole iteration are all returned.
/// </summary>
internal sealed class Scan : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (!TryParseCursor(args[1], out var cursor))
        {
            reply.WriteError("ERR invalid cursor"u8);
            return;
        }

        long count = 10;
        string? pattern = null;
        var typeMatches = true;
        for (var i = 2; i < args.Count; i += 2)
        {
            var more = args.Count - i;
            if (args.Is(i, "count"u8) && more >= 2)
            {
                if (!RedisNumbers.TryParseInt64(args[i + 1], out count))
                {
                    reply.WriteError(Errors.NotInteger);
                    return;
                }

                if (count < 1)
                {
                    reply.WriteError(Errors.Syntax);
                    return;
                }
            }
            else if (args.Is(i, "match"u8) && more >= 2)
            {
                pattern = args[i + 1].SequenceEqual("*"u8) ? null : GrainKeys.FromBytes(args[i + 1]);
            }
            else if (args.Is(i, "type"u8) && more >= 2)
            {
                // Every key is a stream: any other type matches nothing (the cursor still moves on).
                typeMatches = args.Is(i + 1, "stream"u8);
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return;
            }
        }

        var page = await session.Keyspace.ScanAsync(cursor, pattern, count).ConfigureAwait(false);
        var keys = typeMatches ? page.Keys : [];
        reply.WriteArrayHeader(2);
        reply.WriteBulk(Encoding.ASCII.GetBytes(page.Cursor.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        reply.WriteArrayHeader(keys.Length);
        foreach (var key in keys)
        {
            reply.WriteBulk(GrainKeys.ToBytes(key));
        }
    }

    // Redis reads the cursor with strtoul: no leading blank, nothing after the digits, no overflow;
    // a '-' wraps and an empty string is 0.
    private static bool TryParseCursor(ReadOnlySpan<byte> text, out ulong cursor)
    {
        cursor = 0;
        if (text.Length > 0 && text[0] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r')
        {
            return false;
        }

        var negative = false;
        var i = 0;
        if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
        {
            negative = text[i] == '-';
            i++;
        }

        var digits = i;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (cursor > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            cursor = (cursor * 10) + digit;
        }

        if (i == digits)
        {
            // strtoul read nothing: the end pointer stays at the start.
            cursor = 0;
            return text.Length == 0;
        }

        if (i != text.Length)
        {
            return false;
        }

        cursor = negative ? unchecked(0 - cursor) : cursor;
        return true;
    }
}
