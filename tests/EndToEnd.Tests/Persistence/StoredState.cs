using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// Everything a client can see of a database's streams, as text: per key (sorted) its type, its
/// expiry time, XINFO STREAM FULL, XRANGE, XINFO GROUPS, and per group XPENDING (summary and
/// extended) and XINFO CONSUMERS. Absolute times (delivery and seen times, expiry) are kept:
/// storage must bring them back exactly. Relative ones (idle) are masked.
/// </summary>
internal static partial class StoredState
{
    public static async Task<string> DumpAsync(RespConnection connection, int database = 0)
    {
        var text = new StringBuilder();
        await connection.CallAsync("SELECT", database.ToString(CultureInfo.InvariantCulture));
        var keys = RespValue.Parse(await connection.CallAsync("KEYS", "*")).Array.Select(k => k.Str).Order(StringComparer.Ordinal).ToList();
        text.Append("keys ").AppendJoin(' ', keys).Append('\n');
        foreach (var key in keys)
        {
            await AppendAsync(text, connection, Unmasked, "TYPE", key);
            await AppendAsync(text, connection, Unmasked, "PEXPIRETIME", key);
            await AppendAsync(text, connection, Unmasked, "XINFO", "STREAM", key, "FULL");
            await AppendAsync(text, connection, Unmasked, "XRANGE", key, "-", "+");
            var groups = RespValue.Parse(await AppendAsync(text, connection, Unmasked, "XINFO", "GROUPS", key)).Array
                .Select(g => g.Map()["name"].Str)
                .ToList();
            foreach (var group in groups)
            {
                await AppendAsync(text, connection, Unmasked, "XPENDING", key, group);

                // Idle times count from now: XPENDING extended's third column, XINFO CONSUMERS's idle.
                await AppendAsync(text, connection, r => PendingIdle().Replace(r, "$1…$2"), "XPENDING", key, group, "-", "+", "1000000");
                await AppendAsync(text, connection, r => NamedIdle().Replace(r, "$1…"), "XINFO", "CONSUMERS", key, group);
            }
        }

        return text.ToString();
    }

    private static string Unmasked(string rendered) => rendered;

    private static async Task<byte[]> AppendAsync(StringBuilder text, RespConnection connection, Func<string, string> mask, params string[] command)
    {
        var reply = await connection.CallAsync(command);
        text.Append(string.Join(' ', command)).Append(" → ").Append(mask(RespFrame.Render(reply))).Append('\n');
        return reply;
    }

    [GeneratedRegex(@"(\$""(?:idle|inactive)"", :)-?\d+")]
    private static partial Regex NamedIdle();

    [GeneratedRegex(@"(\*4\[\$""\d+-\d+"", \$""[^""]*"", :)\d+(, :\d+\])")]
    private static partial Regex PendingIdle();
}
