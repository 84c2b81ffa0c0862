using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>One step of a <see cref="ScriptCase"/>: bytes sent on one of the case's connections, in one write.</summary>
/// <param name="Connection">The connection's name, a letter: A, B, C …; opened on first use.</param>
/// <param name="Send">The bytes, one char per byte (Latin-1).</param>
public sealed record Step(char Connection, string Send)
{
    public override string ToString() => $"{Connection}> {RespFrame.Escape(Encoding.Latin1.GetBytes(Send), 200)}";
}

/// <summary>
/// A differential case over several connections (a subscriber and a publisher): the same steps
/// run on ours and on redis-server, and every connection's bytes are compared. After each step,
/// every open connection is read up to a sentinel, so what a step caused on each connection
/// (a reply, a message pushed to a subscriber) is recorded against that step.
/// </summary>
/// <param name="Name">The case's name (the theory row).</param>
/// <param name="Steps">The steps, in order.</param>
/// <param name="Unordered">
/// Frames that one step caused on one connection are compared as a multiset: Redis sends a message
/// to a client's several matching patterns in the order of its pattern table, a hash table seeded
/// at random on each start.
/// </param>
/// <param name="Mask">Applied to both transcripts before they are compared (null: byte for byte).</param>
public sealed record ScriptCase(string Name, Step[] Steps, bool Unordered = false, Func<string, string>? Mask = null)
{
    /// <summary>Identical bytes on every connection.</summary>
    public static ScriptCase Same(string name, params Step[] steps) => new(name, steps);

    /// <summary>Identical frames on every connection, in any order within each step.</summary>
    public static ScriptCase AnyOrder(string name, params Step[] steps) => new(name, steps, Unordered: true);

    /// <summary>Identical after <paramref name="mask"/>.</summary>
    public static ScriptCase Masked(string name, Func<string, string> mask, params Step[] steps) => new(name, steps, Mask: mask);

    /// <summary>A command sent on connection A.</summary>
    public static Step A(params string[] args) => new('A', Resp.CommandText(args));

    /// <summary>A command sent on connection B.</summary>
    public static Step B(params string[] args) => new('B', Resp.CommandText(args));

    /// <summary>A command sent on connection C.</summary>
    public static Step C(params string[] args) => new('C', Resp.CommandText(args));

    /// <summary>Several commands sent on one connection in one write (a pipeline).</summary>
    public static Step Pipeline(char connection, params string[][] commands) =>
        new(connection, string.Concat(commands.Select(Resp.CommandText)));

    /// <summary>The theory rows: every case in each of the protocols.</summary>
    public static TheoryData<string, int> Rows(IEnumerable<ScriptCase> cases, params int[] protocols) =>
        ProtocolRows.Of(cases.Select(c => c.Name), protocols);

    public override string ToString() => Name;
}

/// <summary>
/// Masks for what legitimately differs: what Redis orders by a hash table seeded at random on each
/// start (PUBSUB CHANNELS, UNSUBSCRIBE of all), and ids.
/// </summary>
public static partial class PubSubMasks
{
    /// <summary>
    /// Arrays of bulk strings (PUBSUB CHANNELS) compared as sets: their elements sorted. Applied to a
    /// rendered transcript (one frame per line).
    /// </summary>
    public static string SortedArrays(string transcript) => FlatBulkArray().Replace(transcript, m =>
    {
        var elements = m.Groups[2].Value.Split(", ").Order(StringComparer.Ordinal);
        return $"{m.Groups[1].Value}[{string.Join(", ", elements)}]";
    });

    /// <summary>Integer replies on their own (a client id), not counts inside confirmations.</summary>
    public static string TopLevelIntegers(string rendered) => TopLevelInteger().Replace(rendered, ":…");

    [GeneratedRegex(@"^:\d+$", RegexOptions.Multiline)]
    private static partial Regex TopLevelInteger();

    /// <summary>
    /// (P|S)UNSUBSCRIBE without arguments: the confirmations' counts are compared in order, the
    /// names they carry as a multiset (Redis leaves them in its hash table's order).
    /// </summary>
    public static string LeftInAnyOrder(string transcript)
    {
        var names = new List<string>();
        var lines = transcript.Split('\n').Select(line =>
        {
            var match = Confirmation().Match(line);
            if (!match.Success)
            {
                return line;
            }

            names.Add(match.Groups[2].Value);
            return match.Groups[1].Value + "…" + match.Groups[3].Value;
        });
        return string.Join("\n", lines) + "\nnames left: " + string.Join(", ", names.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^(.*[*>]3\[\$""(?:unsubscribe|punsubscribe|sunsubscribe)"", )(\$""[^""]*"")(, :\d+\].*)$")]
    private static partial Regex Confirmation();

    // A whole line that is an array of bulk strings only: *3[$"a", $"b", $"c"]. Names with ", " or ']' are not used.
    [GeneratedRegex(@"([*~>]\d+)\[((?:\$""[^""\]]*""(?:, )?)+)\]")]
    private static partial Regex FlatBulkArray();
}

/// <summary>Runs a <see cref="ScriptCase"/> against ours and Redis and fails on any difference.</summary>
internal static class ScriptRunner
{
    private const string SentinelName = "__sentinel__";
    private static readonly byte[] SentinelReplyPrefix = Encoding.ASCII.GetBytes($"-ERR unknown command '{SentinelName}'");
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs the case on both servers (one after the other) and compares the transcripts.</summary>
    public static Task RunAsync(ServerPairFixture fixture, ScriptCase c, int protocol) => fixture.RunAsync(async () =>
    {
        // One after the other: a case's global state (PUBSUB NUMPAT, CHANNELS) is the server's own anyway,
        // and running them apart keeps failures readable.
        var redis = await RunOnAsync(fixture.Redis, c, protocol);
        var ours = await RunOnAsync(fixture.Ours, c, protocol);

        var left = Render(ours, c);
        var right = Render(redis, c);
        if (left != right)
        {
            var message = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"Case '{c.Name}' (RESP{protocol}): transcripts differ{(c.Unordered ? " (frames of a step in any order)" : "")}{(c.Mask is null ? "" : " (masked)")}\n")
                .Append("steps:\n");
            for (var i = 0; i < c.Steps.Length; i++)
            {
                message.Append(CultureInfo.InvariantCulture, $"  {i}: {c.Steps[i]}\n");
            }

            message.Append("--- ours ---\n").Append(Shorten(left)).Append("\n--- redis ---\n").Append(Shorten(right)).Append('\n');
            message.Append(CultureInfo.InvariantCulture, $"first difference at character {FirstDifference(left, right)}\n");
            throw new DifferentialMismatchException(message.ToString());
        }
    });

    /// <summary>
    /// Waits until the server has no subscribed channel, shard channel or pattern left (a case's
    /// connections are closed when it ends; the server drops their subscriptions on its own time).
    /// </summary>
    public static async Task WaitUntilNoSubscriptionsAsync(ServerProcess server, TimeSpan timeout)
    {
        await using var connection = await server.ConnectAsync();
        var deadline = DateTime.UtcNow + timeout;
        string state;
        while (true)
        {
            var channels = RespFrame.Render(await connection.CallAsync("PUBSUB", "CHANNELS"));
            var shard = RespFrame.Render(await connection.CallAsync("PUBSUB", "SHARDCHANNELS"));
            var patterns = RespFrame.Render(await connection.CallAsync("PUBSUB", "NUMPAT"));
            state = $"CHANNELS {channels}, SHARDCHANNELS {shard}, NUMPAT {patterns}";
            if (channels == "*0[]" && shard == "*0[]" && patterns == ":0")
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{server.Name} still has subscriptions {timeout.TotalSeconds} s after their connections closed: {state}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<List<(int Step, char Connection, List<byte[]> Frames, bool Closed)>> RunOnAsync(
        ServerProcess server, ScriptCase c, int protocol)
    {
        await WaitUntilNoSubscriptionsAsync(server, TimeSpan.FromSeconds(10));
        var connections = new Dictionary<char, RespConnection>();
        var closed = new HashSet<char>();
        var transcript = new List<(int, char, List<byte[]>, bool)>();
        try
        {
            for (var step = 0; step < c.Steps.Length; step++)
            {
                var (name, send) = c.Steps[step];
                if (!connections.TryGetValue(name, out var connection))
                {
                    connection = await server.ConnectAsync();
                    connections.Add(name, connection);
                    if (protocol == 3)
                    {
                        await connection.SendCommandAsync("HELLO", "3");
                        var hello = await connection.ReadReplyAsync(ReadTimeout);
                        if (hello[0] != (byte)'%')
                        {
                            throw new InvalidOperationException($"{server.Name}: HELLO 3 answered \"{RespFrame.Escape(hello)}\".");
                        }
                    }
                }

                if (closed.Contains(name))
                {
                    throw new InvalidOperationException($"Case '{c.Name}' step {step}: connection {name} was closed by {server.Name}.");
                }

                await connection.SendAsync(send);

                // The step's own connection first: its replies say the step is done (a PUBLISH's
                // reply comes after the message was queued to every subscriber).
                foreach (var (other, otherConnection) in connections.OrderBy(p => p.Key == name ? 0 : 1).ThenBy(p => p.Key))
                {
                    if (closed.Contains(other))
                    {
                        continue;
                    }

                    var (frames, wasClosed) = await ReadUntilSentinelAsync(otherConnection, server, c, step);
                    if (wasClosed)
                    {
                        closed.Add(other);
                    }

                    if (frames.Count > 0 || wasClosed)
                    {
                        transcript.Add((step, other, frames, wasClosed));
                    }
                }
            }
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }

        return transcript;
    }

    private static async Task<(List<byte[]> Frames, bool Closed)> ReadUntilSentinelAsync(
        RespConnection connection, ServerProcess server, ScriptCase c, int step)
    {
        try
        {
            await connection.SendCommandAsync(SentinelName);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Closed by the server: what it sent before is still read below.
        }

        var frames = new List<byte[]>();
        while (true)
        {
            byte[] frame;
            try
            {
                frame = await connection.ReadReplyAsync(ReadTimeout);
            }
            catch (RespConnectionClosedException)
            {
                var (rest, _) = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(1));
                if (rest.Length > 0)
                {
                    frames.Add(rest);
                }

                return (frames, true);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"Case '{c.Name}' step {step}: {server.Name} sent no sentinel reply. {e.Message}", e);
            }

            if (frame.AsSpan().StartsWith(SentinelReplyPrefix))
            {
                return (frames, false);
            }

            frames.Add(frame);
        }
    }

    // One line per (step, connection): the frames, escaped; sorted when the case allows any order.
    private static string Render(List<(int Step, char Connection, List<byte[]> Frames, bool Closed)> transcript, ScriptCase c)
    {
        var text = new StringBuilder();
        foreach (var (step, connection, frames, closed) in transcript)
        {
            IEnumerable<string> rendered = c.Mask is null
                ? frames.Select(f => RespFrame.Escape(f, int.MaxValue))
                : frames.Select(f => RespFrame.RenderAll(f));
            if (c.Unordered)
            {
                rendered = rendered.Order(StringComparer.Ordinal);
            }

            foreach (var frame in rendered)
            {
                text.Append(CultureInfo.InvariantCulture, $"{step} {connection}< {frame}\n");
            }

            if (closed)
            {
                text.Append(CultureInfo.InvariantCulture, $"{step} {connection}< (closed)\n");
            }
        }

        return c.Mask is null ? text.ToString() : c.Mask(text.ToString());
    }

    private static string Shorten(string transcript) =>
        string.Join("\n", transcript.Split('\n').Select(line => line.Length > 600 ? line[..600] + $"…(+{line.Length - 600} chars)" : line));

    private static int FirstDifference(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            if (left[i] != right[i])
            {
                return i;
            }
        }

        return length;
    }
}
