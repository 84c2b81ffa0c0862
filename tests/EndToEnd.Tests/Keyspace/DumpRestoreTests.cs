using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;
using static Platform.EndToEnd.Tests.Streams.Script;

namespace Platform.EndToEnd.Tests.Keyspace;

/// <summary>
/// DUMP and RESTORE against redis-server 7.0: a payload from either server restores on both as the
/// stream it came from (entries, IDs, counters, groups, pending entries, consumers); RESTORE's
/// options and errors answer byte for byte as Redis's, with a payload Redis made.
/// </summary>
public sealed class DumpRestoreTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    // What a payload carries: entries with the same fields and with others, deleted ones (one big
    // enough to matter where nodes end), IDs below a node's first (negative deltas), numbers, long
    // values (Redis compresses those), more entries than one node holds, groups with pending
    // entries, consumers and none.
    private static readonly string Build = string.Join("; ",
        [
            "XADD s 1-1 a 1 b hello", "XADD s 1-2 a -2 b world", "XADD s 5-0 c x", "XDEL s 1-2",
            .. Enumerable.Range(0, 230).Select(i => $"XADD s {10 + i}-{3 * i} n {i * 997} v {new string((char)('a' + (i % 26)), i % 90)}"),
            $"XADD s 300-0 big {new string('z', 5000)} i64 9223372036854775807 n64 -9223372036854775808 i32 2147483647 i24 -8000000 i16 -30000 i13 -4000 lead 007",
            $"XADD s 301-0 gone {new string('g', 3000)}",
            .. Enumerable.Range(0, 60).Select(i => $"XADD s {400 + i}-0 n {i} pad {new string('p', 30)}"),
            "XDEL s 301-0",
            "XGROUP CREATE s g 0", "XREADGROUP GROUP g alice COUNT 3 STREAMS s >", "XREADGROUP GROUP g 42 COUNT 2 STREAMS s >",
            "XACK s g 1-1", "XCLAIM s g carol 0 5-0 RETRYCOUNT 7", "XGROUP CREATE s h $ ENTRIESREAD 3", "XGROUP CREATECONSUMER s h idle",
            "XSETID s 999-0 ENTRIESADDED 500 MAXDELETEDID 2-0", "XGROUP CREATE e g $ MKSTREAM",
        ]);

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task A_payload_restores_on_both_servers_as_the_stream_it_came_from(string from) => fixture.RunAsync(async () =>
    {
        await using var ours = await fixture.Ours.ConnectAsync();
        await using var redis = await fixture.Redis.ConnectAsync();
        try
        {
            foreach (var connection in new[] { ours, redis })
            {
                foreach (var command in Commands(Build))
                {
                    await connection.CallAsync(command);
                }
            }

            var source = from == "ours" ? ours : redis;
            foreach (var key in new[] { "s", "e" })
            {
                var payload = Bulk(await source.CallAsync("DUMP", key));
                var original = await StateAsync(source, key);
                foreach (var connection in new[] { ours, redis })
                {
                    Assert.Equal("+OK\r\n", Text(await connection.CallAsync("RESTORE", $"{key}-copy", "0", payload)));
                    Assert.Equal(original, await StateAsync(connection, $"{key}-copy"));
                }
            }
        }
        finally
        {
            await ours.CallAsync("FLUSHALL");
            await redis.CallAsync("FLUSHALL");
        }
    });

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RESTORE_answers_as_redis_does(int protocol)
    {
        // A payload Redis made, and spoiled copies of it.
        string payload;
        await using (var redis = await fixture.Redis.ConnectAsync())
        {
            await redis.CallAsync("XADD", "made", "1-1", "f", "v");
            await redis.CallAsync("XGROUP", "CREATE", "made", "g", "0");
            payload = Bulk(await redis.CallAsync("DUMP", "made"));
            await redis.CallAsync("DEL", "made");
        }

        var flipped = payload[..4] + (char)(payload[4] ^ 1) + payload[5..];
        var newer = payload[..^10] + "\x0b" + payload[^9..];
        var future = $"{DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeMilliseconds()}";
        var cases = new (string Name, string[][] Commands)[]
        {
            ("restore and read", [["RESTORE", "k", "0", payload], ["XRANGE", "k", "-", "+"], ["XINFO", "GROUPS", "k"], ["TTL", "k"], ["TYPE", "k"]]),
            ("onto an existing key", [["XADD", "k", "1-1", "a", "b"], ["RESTORE", "k", "0", payload], ["RESTORE", "k", "0", payload, "REPLACE"], ["XINFO", "GROUPS", "k"]]),
            ("TTL", [["RESTORE", "k", "100000", payload], ["TTL", "k"], ["RESTORE", "a", future, payload, "ABSTTL"], ["PEXPIRETIME", "a"]]),
            ("TTL in the past", [["RESTORE", "k", "1", payload, "ABSTTL"], ["EXISTS", "k"], ["XADD", "k", "1-1", "a", "b"], ["RESTORE", "k", "1", payload, "ABSTTL", "REPLACE"], ["EXISTS", "k"]]),
            ("TTL errors", [["RESTORE", "k", "x", payload], ["RESTORE", "k", "-1", payload], ["RESTORE", "k", "1.5", payload], ["EXISTS", "k"]]),
            ("payload errors", [["RESTORE", "k", "0", "x"], ["RESTORE", "k", "0", ""], ["RESTORE", "k", "0", flipped], ["RESTORE", "k", "0", newer], ["EXISTS", "k"]]),
            ("options", [["RESTORE", "k", "0", payload, "IDLETIME", "100"], ["OBJECT", "IDLETIME", "k"], ["RESTORE", "f", "0", payload, "FREQ", "5"], ["OBJECT", "ENCODING", "f"]]),
            ("option errors", [
                ["RESTORE", "k", "0", payload, "FOO"], ["RESTORE", "k", "0", payload, "IDLETIME"], ["RESTORE", "k", "0", payload, "IDLETIME", "-1"],
                ["RESTORE", "k", "0", payload, "IDLETIME", "x"], ["RESTORE", "k", "0", payload, "FREQ", "256"], ["RESTORE", "k", "0", payload, "FREQ", "-1"],
                ["RESTORE", "k", "0", payload, "IDLETIME", "1", "FREQ", "1"], ["RESTORE", "k", "0", payload, "FREQ", "1", "IDLETIME", "1"], ["EXISTS", "k"],
            ]),
            ("errors come in Redis's order", [["XADD", "k", "1-1", "a", "b"], ["RESTORE", "k", "x", "bad"], ["RESTORE", "n", "x", "bad"], ["RESTORE", "n", "-1", "bad"], ["RESTORE", "n", "0", "bad", "FOO"]]),
            ("DUMP", [["DUMP", "missing"], ["DUMP"], ["RESTORE", "k", "0"], ["XADD", "k", "1-1", "a", "b"], ["DUMP", "k", "x"]]),
        };

        foreach (var (name, commands) in cases)
        {
            await DifferentialRunner.RunAsync(fixture, new DiffCase($"RESTORE {name}", string.Concat(commands.Select(Resp.CommandText)), Restore: Reset), protocol);
        }
    }

    [Fact]
    public Task RESTORE_raises_redis_s_keyspace_events() => fixture.RunAsync(async () =>
    {
        var transcripts = new List<string>();
        foreach (var server in new[] { fixture.Ours, fixture.Redis })
        {
            await using var subscriber = await server.ConnectAsync();
            await using var client = await server.ConnectAsync();
            try
            {
                await client.CallAsync("CONFIG", "SET", "notify-keyspace-events", "KEAn");
                await subscriber.CallAsync("PSUBSCRIBE", "__key*@*__:*");
                await client.CallAsync("XADD", "a", "1-1", "f", "v");
                var payload = Bulk(await client.CallAsync("DUMP", "a"));
                await client.CallAsync("RESTORE", "b", "0", payload);
                await client.CallAsync("RESTORE", "a", "0", payload, "REPLACE");
                await client.CallAsync("RESTORE", "a", "1", payload, "REPLACE", "ABSTTL");
                await client.CallAsync("RESTORE", "c", "1", payload, "ABSTTL");

                // Everything published before PING's reply.
                await subscriber.SendCommandAsync("PING", "__end__");
                var transcript = new StringBuilder();
                for (var frame = ""; !frame.Contains("__end__", StringComparison.Ordinal); frame = RespFrame.Render(await subscriber.ReadReplyAsync(TimeSpan.FromSeconds(10))))
                {
                    transcript.AppendLine(frame);
                }

                transcripts.Add(transcript.ToString());
            }
            finally
            {
                await client.SendAsync(Reset);
                await client.ReadRepliesAsync(2);
            }
        }

        Assert.Equal(transcripts[1], transcripts[0]);
        Assert.Contains("restore", transcripts[0], StringComparison.Ordinal);
    });

    // The stream as both servers show it, but for times that depend on when it is asked.
    private static async Task<string> StateAsync(RespConnection connection, string key) =>
        StreamMasks.Volatile(RespFrame.Render(await connection.CallAsync("XINFO", "STREAM", key, "FULL")))
        + RespFrame.Render(await connection.CallAsync("XRANGE", key, "-", "+"));

    private static string Bulk(byte[] reply)
    {
        var text = Text(reply);
        var header = text.IndexOf("\r\n", StringComparison.Ordinal);
        Assert.StartsWith("$", text, StringComparison.Ordinal);
        return text.Substring(header + 2, int.Parse(text[1..header], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Text(byte[] reply) => Encoding.Latin1.GetString(reply);
}
