using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>
/// Differential cases written as one line of commands: <c>"XADD s 1-1 a b; XLEN s"</c>. Commands are
/// separated by <c>;</c>, arguments by spaces; <c>"..."</c> quotes an argument (escapes <c>\" \\ \r \n
/// \t \0 \xHH</c>), <c>""</c> is the empty argument. Every case ends with FLUSHALL on both servers, so
/// the cases of a table are independent of their order.
/// </summary>
public static class Script
{
    /// <summary>What every case restores: an empty keyspace and no keyspace notifications.</summary>
    public static readonly string Reset =
        Resp.CommandText("FLUSHALL") + Resp.CommandText("CONFIG", "SET", "notify-keyspace-events", "");

    /// <summary>Byte for byte.</summary>
    public static DiffCase S(string name, string script) => new(name, Parse(script), Restore: Reset);

    /// <summary>Compared after <see cref="StreamMasks.Volatile"/> (idle and delivery times, radix-tree-nodes).</summary>
    public static DiffCase M(string name, string script) =>
        new(name, Parse(script), Comparison: Comparison.Masked, Mask: StreamMasks.Volatile, Restore: Reset);

    /// <summary>Compared after <paramref name="mask"/>.</summary>
    public static DiffCase M(string name, string script, Func<string, string> mask) =>
        new(name, Parse(script), Comparison: Comparison.Masked, Mask: mask, Restore: Reset);

    /// <summary>The commands of a script as multibulk requests, in one string (one char per byte).</summary>
    public static string Parse(string script) => string.Concat(Commands(script).Select(Resp.CommandText));

    /// <summary>The commands of a script, each as its arguments.</summary>
    public static List<string[]> Commands(string script)
    {
        var commands = new List<string[]>();
        var args = new List<string>();
        var current = new StringBuilder();
        var inArg = false;
        for (var i = 0; i < script.Length; i++)
        {
            var ch = script[i];
            if (ch == '"')
            {
                inArg = true;
                for (i++; i < script.Length && script[i] != '"'; i++)
                {
                    if (script[i] != '\\')
                    {
                        current.Append(script[i]);
                        continue;
                    }

                    i++;
                    current.Append(script[i] switch
                    {
                        'r' => "\r",
                        'n' => "\n",
                        't' => "\t",
                        '0' => "\0",
                        'x' => ((char)int.Parse(script.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
                        var other => other.ToString(),
                    });
                    if (script[i] == 'x')
                    {
                        i += 2;
                    }
                }

                if (i >= script.Length)
                {
                    throw new FormatException($"Unterminated quote in: {script}");
                }

                continue;
            }

            if (ch is ' ' or ';')
            {
                if (inArg)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inArg = false;
                }

                if (ch == ';' && args.Count > 0)
                {
                    commands.Add([.. args]);
                    args.Clear();
                }

                continue;
            }

            inArg = true;
            current.Append(ch);
        }

        if (inArg)
        {
            args.Add(current.ToString());
        }

        if (args.Count > 0)
        {
            commands.Add([.. args]);
        }

        return commands;
    }

    /// <summary><paramref name="count"/> copies of a command, numbered: <c>{i}</c> in it is replaced by 1, 2, ….</summary>
    public static string Repeat(int count, string command, int from = 1) =>
        string.Join("; ", Enumerable.Range(from, count).Select(i => command.Replace("{i}", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));
}

/// <summary>Masks for what legitimately differs in stream replies, applied to rendered replies.</summary>
public static partial class StreamMasks
{
    /// <summary>
    /// Idle times, delivery times and seen/active times (they depend on the clock), and XINFO
    /// STREAM's radix-tree-nodes (ours is an estimate). Also masks XPENDING extended's idle column
    /// and the delivery time in XINFO STREAM FULL's PEL entries.
    /// </summary>
    public static string Volatile(string rendered)
    {
        rendered = NamedTime().Replace(rendered, "$1…");
        rendered = PendingRow().Replace(rendered, "$1…$2");
        return ConsumerPelRow().Replace(rendered, "$1…$2");
    }

    /// <summary><see cref="Volatile"/>, and IDs generated from the clock (<c>*</c>) reduced to their sequence.</summary>
    public static string VolatileAndTimeIds(string rendered) => TimeId().Replace(Volatile(rendered), "T-$1");

    /// <summary>
    /// IDs generated from the clock reduced to "T-…": the second of two <c>*</c> IDs is T-1 when
    /// both fall in one millisecond and (T+1)-0 when a millisecond passes between them.
    /// </summary>
    public static string ClockIds(string rendered) => TimeId().Replace(rendered, "T-…");

    [GeneratedRegex(@"(\$""(?:idle|seen-time|active-time|inactive|radix-tree-nodes)"", :)-?\d+")]
    private static partial Regex NamedTime();

    // XPENDING extended and XINFO STREAM FULL's group PEL: [id, consumer, idle or delivery time, count].
    [GeneratedRegex(@"(\*4\[\$""\d+-\d+"", \$""[^""]*"", :)\d+(, :\d+\])")]
    private static partial Regex PendingRow();

    // XINFO STREAM FULL's consumer PEL: [id, delivery time, count].
    [GeneratedRegex(@"(\*3\[\$""\d+-\d+"", :)\d+(, :\d+\])")]
    private static partial Regex ConsumerPelRow();

    [GeneratedRegex(@"\b1\d{12}-(\d+)\b")]
    private static partial Regex TimeId();
}
