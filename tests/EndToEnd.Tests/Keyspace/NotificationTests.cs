using System.Globalization;
using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Streams.Script;

namespace Platform.EndToEnd.Tests.Keyspace;

/// <summary>
/// Keyspace notifications against redis-server 7.0: a subscriber (PSUBSCRIBE __key*@*__:*) on each
/// server, the same commands run on another connection with the same notify-keyspace-events
/// setting, and the sequence of messages the subscriber got compared whole (RESP2 and RESP3), for
/// every event the server raises; and CONFIG SET/GET notify-keyspace-events's canonical forms and
/// errors.
/// </summary>
public sealed class NotificationTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string StreamEvents =
        "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XDEL s 2; XDEL s 9; XTRIM s MAXLEN 1; XTRIM s MAXLEN 1; XADD s MAXLEN 1 4 a 1; " +
        "XGROUP CREATE s g 0; XGROUP CREATECONSUMER s g c; XGROUP CREATECONSUMER s g c; XREADGROUP GROUP g d STREAMS s >; " +
        "XGROUP SETID s g 0; XGROUP DELCONSUMER s g c; XGROUP DESTROY s g; XGROUP DESTROY s g; XSETID s 10; XGROUP CREATE t g $ MKSTREAM; " +
        "XADD u NOMKSTREAM 1 a 1; XCLAIM s g c 0 1; XACK s g 1";

    private const string KeyEvents =
        "XADD a 1 f v; XADD b 1 f v; DEL a; DEL a; UNLINK b; XADD c 1 f v; EXPIRE c 100; PEXPIRE c 100000; EXPIREAT c 4102444800; PERSIST c; PERSIST c; " +
        "RENAME c d; RENAMENX d c; XADD e 1 f v; RENAMENX c e; EXPIRE c -1; XADD f 1 f v; PEXPIREAT f 1; SELECT 3; XADD g 1 f v; DEL g; FLUSHDB; XADD h 1 f v; FLUSHALL";

    private static readonly string[] Settings = ["KEA", "K", "E", "Kt", "Eg", "Ex", "KEAn", "Kn", "E$g", "KEt", "A", ""];

    // A script, a pause, and commands run after the pause (expiry needs time to pass). Keys that
    // expire are far apart in time: Redis's active expiry takes the keys of one pass in hash order.
    public static readonly (string Name, string Script, int PauseMs, string After)[] Scripts =
    [
        ("stream events", StreamEvents, 0, ""),
        ("key events", KeyEvents, 0, ""),
        ("new keys", "XADD a 1 f v; XADD a 2 f v; XGROUP CREATE b g $ MKSTREAM; RENAME a c; XADD a NOMKSTREAM 1 f v", 0, ""),
        ("trim by XADD options", "XADD s 1 a 1; XADD s 2 a 1; XADD s MAXLEN = 1 3 a 1; XADD s MINID 3 4 a 1; XADD s MAXLEN ~ 1 5 a 1; XTRIM s MINID 5", 0, ""),
        ("expired by active expiry", "XADD a 1 f v; PEXPIRE a 50; XADD b 1 f v; PEXPIRE b 600; SELECT 2; XADD c 1 f v; PEXPIRE c 1200", 1800, "DBSIZE"),
        ("expired on access", "XADD a 1 f v; PEXPIRE a 100", 200, "XLEN a; EXISTS a"),
        ("expired key renamed", "XADD a 1 f v; PEXPIRE a 100", 200, "RENAME a b"),
        ("copied and moved", "XADD a 1 f v; COPY a b; COPY a b; XADD c 1 f v; COPY a c REPLACE; COPY a a DB 2; COPY x y; MOVE a 3; MOVE b 2; MOVE b 3; " +
            "MOVE x 1; SELECT 3; COPY a b DB 0 REPLACE; MOVE a 0", 0, ""),
        ("copied over an expired key", "XADD a 1 f v; XADD b 1 f v; PEXPIRE b 100", 200, "COPY a b"),
        ("moved over an expired key", "XADD m 1 f v; PEXPIRE m 100; SELECT 1; XADD m 1 f v", 200, "MOVE m 0"),
        ("transaction", "MULTI; XADD s 1 a 1; EXPIRE s 10; DEL s; EXEC", 0, ""),
        ("errors raise nothing", "XADD s 1 a 1; XADD s 1 a 1; XGROUP CREATE s g x; XDEL s x; RENAME x y; EXPIRE s x", 0, ""),
    ];

    public static TheoryData<string, string, int> Rows()
    {
        var rows = new TheoryData<string, string, int>();
        foreach (var (name, _, _, _) in Scripts)
        {
            foreach (var setting in Settings)
            {
                if (name is "stream events" or "key events" || setting is "KEA" or "KEAn" or "K" or "E")
                {
                    rows.Add(name, setting, setting.Length % 2 == 0 ? 3 : 2);
                }
            }
        }

        // Both protocols for the broadest setting.
        foreach (var (name, _, _, _) in Scripts)
        {
            rows.Add(name, "AKEn", 2);
            rows.Add(name, "AKEn", 3);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Subscriber_gets_redis_s_messages(string script, string setting, int protocol) => fixture.RunAsync(async () =>
    {
        var (_, commands, pause, after) = Scripts.Single(s => s.Name == script);
        try
        {
            var transcripts = await Task.WhenAll(
                TranscriptAsync(fixture.Ours, setting, commands, pause, after, protocol),
                TranscriptAsync(fixture.Redis, setting, commands, pause, after, protocol));
            if (transcripts[0] != transcripts[1])
            {
                Assert.Fail($"Notifications differ for '{script}' with '{setting}' (RESP{protocol}):\n--- ours ---\n{transcripts[0]}\n--- redis ---\n{transcripts[1]}");
            }
        }
        finally
        {
            foreach (var server in new[] { fixture.Ours, fixture.Redis })
            {
                await using var connection = await server.ConnectAsync();
                await connection.SendAsync(Reset);
                await connection.ReadRepliesAsync(2);
            }
        }
    });

    public static readonly DiffCase[] ConfigCases =
    [
        S("canonical forms", "CONFIG SET notify-keyspace-events KEA; CONFIG GET notify-keyspace-events; CONFIG SET notify-keyspace-events AKE; CONFIG GET notify-keyspace-events; " +
            "CONFIG SET notify-keyspace-events gxK; CONFIG GET notify-keyspace-events; CONFIG SET notify-keyspace-events Eg$lshzxet; CONFIG GET notify-keyspace-events; " +
            "CONFIG SET notify-keyspace-events KEAmn; CONFIG GET notify-keyspace-events; CONFIG SET notify-keyspace-events KA; CONFIG GET notify-keyspace-events; " +
            "CONFIG SET notify-keyspace-events n; CONFIG GET notify-keyspace-events; CONFIG SET notify-keyspace-events KEd; CONFIG GET notify-keyspace-events; " +
            "CONFIG SET notify-keyspace-events \"\"; CONFIG GET notify-keyspace-events; CONFIG SET notify-keyspace-events KKEEgg; CONFIG GET notify-keyspace-events"),
        S("each class alone", string.Join("; ", "g$lshzxetdmnKEA".Select(c => $"CONFIG SET notify-keyspace-events K{c}; CONFIG GET notify-keyspace-events"))),
        S("invalid character", "CONFIG SET notify-keyspace-events KEZ; CONFIG GET notify-keyspace-events; CONFIG SET notify-keyspace-events \"K E\"; CONFIG SET notify-keyspace-events kea; CONFIG GET notify-keyspace-events"),
        S("invalid keeps the old value", "CONFIG SET notify-keyspace-events Kx; CONFIG SET notify-keyspace-events Kq; CONFIG GET notify-keyspace-events"),
        S("CONFIG GET by pattern", "CONFIG SET notify-keyspace-events Ex; CONFIG GET notify-keyspace-*; CONFIG GET NOTIFY-KEYSPACE-EVENTS"),
    ];

    private static readonly Dictionary<string, DiffCase> ConfigByName = ConfigCases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> ConfigRows => DiffCase.Rows(ConfigCases, 2, 3);

    [Theory]
    [MemberData(nameof(ConfigRows))]
    public Task Config_replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ConfigByName[name], protocol);

    // The subscriber's messages (and the commands' replies) on one server.
    private static async Task<string> TranscriptAsync(ServerProcess server, string setting, string commands, int pause, string after, int protocol)
    {
        await using var subscriber = await server.ConnectAsync();
        await using var client = await server.ConnectAsync();
        if (protocol == 3)
        {
            await subscriber.CallAsync("HELLO", "3");
            await client.CallAsync("HELLO", "3");
        }

        Assert.Equal("+OK\r\n"u8.ToArray(), await client.CallAsync("CONFIG", "SET", "notify-keyspace-events", setting));
        await subscriber.CallAsync("PSUBSCRIBE", "__key*@*__:*");

        var transcript = new StringBuilder();
        foreach (var part in new[] { commands, after })
        {
            await client.SendAsync(Parse(part));
            foreach (var command in Commands(part))
            {
                var reply = RespFrame.Render(await client.ReadReplyAsync());
                transcript.Append(CultureInfo.InvariantCulture, $"> {string.Join(' ', command)}: {reply}\n");
            }

            if (part == commands && pause > 0)
            {
                await Task.Delay(pause);
            }
        }

        // Everything published before PING's reply, which closes the subscriber's share of the transcript.
        await subscriber.SendCommandAsync("PING", "__end__");
        while (true)
        {
            var frame = RespFrame.Render(await subscriber.ReadReplyAsync(TimeSpan.FromSeconds(10)));
            if (frame.Contains("__end__", StringComparison.Ordinal))
            {
                break;
            }

            transcript.Append(CultureInfo.InvariantCulture, $"  {frame}\n");
        }

        return transcript.ToString();
    }
}
