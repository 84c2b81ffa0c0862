using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.PubSub;
using static Platform.EndToEnd.Tests.PubSub.ScriptCase;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>
/// MONITOR against redis-server 7.0, in RESP2 and after HELLO 3: what a monitoring connection (A)
/// is shown of the commands of others (B, C) and of its own, and what it may still do. Each line's
/// time and client port are masked; everything else is compared as Redis sends it.
/// </summary>
public sealed partial class MonitorTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    public static readonly ScriptCase[] Cases =
    [
        Masked("another connection's commands, with the database each ran in", Lines,
            A("MONITOR"), B("XADD", "mon:s", "1-1", "f", "v"), B("XLEN", "mon:s"), B("SELECT", "4"), B("PING"), B("SELECT", "0"), B("DEL", "mon:s")),
        Masked("arguments quoted as Redis quotes them", Lines, A("MONITOR"), B("ECHO", "a\"b\\c\n\r\t\a\b\0\x7f\xff~ "), B("ECHO", "")),
        Masked("passwords redacted", Lines, A("MONITOR"), B("AUTH", "secret"), B("AUTH", "someone", "secret"), B("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "n")),
        Masked("passwords redacted only where the command got to them", Lines,
            A("MONITOR"), B("AUTH", "a", "b", "c"), B("HELLO", "4", "AUTH", "u", "p"), B("HELLO", "2", "AUTH", "u", "p", "AUTH", "default", "x"), B("HELLO", "2", "SETNAME", "a b", "AUTH", "u", "p")),
        Masked("a failing command shown; rejected and administrative ones not", Lines,
            A("MONITOR"), B("XADD", "mon:s", "bad", "f", "v"), B("NOSUCH", "x"), B("XADD", "mon:s"), B("CONFIG", "GET", "maxclients"), B("CLIENT", "NO-EVICT", "off"), B("CLIENT", "KILL", "ID", "999999")),
        Masked("a transaction: MULTI, then its commands as EXEC runs them, then EXEC", Lines,
            A("MONITOR"), Pipeline('B', ["MULTI"], ["XADD", "mon:t", "1-1", "f", "v"], ["SELECT", "5"], ["EXEC"]), B("SELECT", "0"), B("DEL", "mon:t")),
        Masked("a blocking command shown when it blocks", Lines, A("MONITOR"), B("XREAD", "BLOCK", "50", "STREAMS", "mon:none", "$")),
        Masked("every monitor shown every command", Lines, A("MONITOR"), C("MONITOR"), B("PING", "both")),
        Masked("a monitor's own commands, what it may not run, and RESET", Lines,
            A("MONITOR"), A("PING"), A("XLEN", "mon:s"), A("PUBLISH", "ch", "x"), A("MONITOR"), A("CLIENT", "SETNAME", "watcher"), A("CLIENT", "INFO"), A("RESET"), A("PING"), B("PING")),
        Masked("QUIT ends monitoring", Lines, A("MONITOR"), A("QUIT"), B("PING")),
        Masked("another connection's QUIT shown", Lines, A("MONITOR"), B("PING"), B("QUIT"), C("PING")),
        Masked("a subscribed monitor is refused as any subscriber first", Lines, A("MONITOR"), A("SUBSCRIBE", "ch"), A("XLEN", "x"), A("PUBLISH", "ch", "m"), B("PUBLISH", "ch", "n")),
        Same("MONITOR inside MULTI", A("MULTI"), A("MONITOR"), A("EXEC")),
        Same("MONITOR arity", A("MONITOR", "now")),
    ];

    private static readonly Dictionary<string, ScriptCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => ScriptCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task A_monitor_is_shown_what_redis_shows_it(string name, int protocol) =>
        ScriptRunner.RunAsync(fixture, ByName[name], protocol);

    /// <summary>
    /// CLIENT REPLY OFF and SKIP mute a monitor's feed as they mute its replies: from the command
    /// that turns them on to the end of the one they skip. A second monitor tells when the first
    /// has run each of its commands, whose replies it does not see.
    /// </summary>
    [Fact]
    public Task CLIENT_REPLY_OFF_and_SKIP_mute_the_feed_as_on_redis() => fixture.RunAsync(async () =>
    {
        Assert.Equal(await MutedFeedAsync(fixture.Redis), await MutedFeedAsync(fixture.Ours));
    });

    /// <summary>
    /// Under commands from many connections at once, every monitor is shown the same lines in the
    /// same order, with times that never go back, as Redis's one thread shows them.
    /// </summary>
    [Fact]
    public Task Every_monitor_sees_one_order_with_times_that_never_go_back() => fixture.RunAsync(async () =>
    {
        const int Clients = 16, Commands = 2000;
        await using var first = await fixture.Ours.ConnectAsync();
        await using var second = await fixture.Ours.ConnectAsync();
        await first.CallAsync("MONITOR");
        await second.CallAsync("MONITOR");
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            await using var client = await fixture.Ours.ConnectAsync();
            await client.SendAsync(string.Concat(Enumerable.Range(0, Commands).Select(i => Resp.CommandText("ECHO", $"{c}:{i}"))));
            await client.ReadRepliesAsync(Commands);
        }));

        var lines = (await first.ReadRepliesAsync(Clients * Commands)).Select(Encoding.Latin1.GetString).ToList();
        Assert.Equal(lines, (await second.ReadRepliesAsync(Clients * Commands)).Select(Encoding.Latin1.GetString));
        var times = lines.Select(line => decimal.Parse(line[1..line.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture)).ToList();
        Assert.True(times.Zip(times.Skip(1)).All(pair => pair.First <= pair.Second), "a line's time is before the line's before it");
    });

    private static async Task<string> MutedFeedAsync(ServerProcess server)
    {
        await using var muted = await server.ConnectAsync();
        await using var watcher = await server.ConnectAsync();
        await using var other = await server.ConnectAsync();
        Assert.Equal("+OK\r\n", Encoding.Latin1.GetString(await watcher.CallAsync("MONITOR")));
        Assert.Equal("+OK\r\n", Encoding.Latin1.GetString(await muted.CallAsync("MONITOR")));
        string[][] steps =
        [
            ["A", "CLIENT", "REPLY", "OFF"], ["B", "PING", "while-off"], ["A", "PING", "off"], ["A", "CLIENT", "REPLY", "ON"],
            ["B", "PING", "on"], ["A", "CLIENT", "REPLY", "SKIP"], ["B", "PING", "while-skip"], ["A", "PING", "skipped"], ["B", "PING", "after"],
        ];
        foreach (var step in steps)
        {
            var command = step[1..];
            if (step[0] == "B")
            {
                await other.CallAsync(command);
                continue;
            }

            await muted.SendCommandAsync(command);
            var shown = string.Join(" ", command.Select(a => $"\"{a}\""));
            while (!Encoding.Latin1.GetString(await watcher.ReadReplyAsync()).Contains(shown, StringComparison.Ordinal))
            {
            }
        }

        return Lines(Encoding.Latin1.GetString(await muted.ReadAvailableAsync(TimeSpan.FromMilliseconds(300))));
    }

    // A line's time and the client's port; HELLO's id and CLIENT INFO's fields as Masks masks them.
    private static string Lines(string transcript) =>
        Masks.HelloAndClientFields(MonitorLineHead().Replace(transcript, "+… [$1 127.0.0.1:…]"));

    [GeneratedRegex(@"\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]")]
    private static partial Regex MonitorLineHead();
}
