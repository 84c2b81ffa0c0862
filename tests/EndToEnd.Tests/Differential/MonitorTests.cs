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
        Masked("a failing command shown; rejected and administrative ones not", Lines,
            A("MONITOR"), B("XADD", "mon:s", "bad", "f", "v"), B("NOSUCH", "x"), B("XADD", "mon:s"), B("CONFIG", "GET", "maxclients"), B("CLIENT", "NO-EVICT", "off"), B("CLIENT", "KILL", "ID", "999999")),
        Masked("a transaction: MULTI, then its commands as EXEC runs them, then EXEC", Lines,
            A("MONITOR"), Pipeline('B', ["MULTI"], ["XADD", "mon:t", "1-1", "f", "v"], ["SELECT", "5"], ["EXEC"]), B("SELECT", "0"), B("DEL", "mon:t")),
        Masked("a blocking command shown when it blocks", Lines, A("MONITOR"), B("XREAD", "BLOCK", "50", "STREAMS", "mon:none", "$")),
        Masked("every monitor shown every command", Lines, A("MONITOR"), C("MONITOR"), B("PING", "both")),
        Masked("a monitor's own commands, what it may not run, and RESET", Lines,
            A("MONITOR"), A("PING"), A("XLEN", "mon:s"), A("PUBLISH", "ch", "x"), A("MONITOR"), A("CLIENT", "SETNAME", "watcher"), A("CLIENT", "INFO"), A("RESET"), A("PING"), B("PING")),
        Masked("QUIT ends monitoring", Lines, A("MONITOR"), A("QUIT"), B("PING")),
        Same("MONITOR inside MULTI", A("MULTI"), A("MONITOR"), A("EXEC")),
        Same("MONITOR arity", A("MONITOR", "now")),
    ];

    private static readonly Dictionary<string, ScriptCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => ScriptCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task A_monitor_is_shown_what_redis_shows_it(string name, int protocol) =>
        ScriptRunner.RunAsync(fixture, ByName[name], protocol);

    // A line's time and the client's port; HELLO's id and CLIENT INFO's fields as Masks masks them.
    private static string Lines(string transcript) =>
        Masks.HelloAndClientFields(MonitorLineHead().Replace(transcript, "+… [$1 127.0.0.1:…]"));

    [GeneratedRegex(@"\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]")]
    private static partial Regex MonitorLineHead();
}
