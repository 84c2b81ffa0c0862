using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.PubSub.ScriptCase;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// Message delivery between connections, byte for byte against redis-server 7.0, in RESP2 and
/// after HELLO 3 (on every connection of the case): the same script (subscribe on A, publish on
/// B, …) runs on both servers and every connection's bytes are compared, step by step. Also the
/// PUBSUB introspection that reads the server's global state: each case starts on a server with
/// no subscription left.
/// </summary>
public sealed class PubSubDeliveryTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private static readonly string Megabyte = new('m', 1024 * 1024);
    private static readonly string Binary = "\0\r\n\xff\x01 \"x\"\r\n\0";

    public static readonly ScriptCase[] Cases =
    [
        // PUBLISH: receivers and frames
        Same("message to one subscriber", A("SUBSCRIBE", "ch"), B("PUBLISH", "ch", "hello")),
        Same("message to two subscribers", A("SUBSCRIBE", "ch"), C("SUBSCRIBE", "ch"), B("PUBLISH", "ch", "hello")),
        Same("PUBLISH counts channel and pattern subscribers", A("SUBSCRIBE", "news"), C("PSUBSCRIBE", "n*"), B("PUBLISH", "news", "x"), B("PUBLISH", "nope", "y"), B("PUBLISH", "other", "z")),
        Same("pmessage frame", A("PSUBSCRIBE", "news.*"), B("PUBLISH", "news.art", "painting"), B("PUBLISH", "news", "no match")),
        Same("channel and pattern on one connection: message then pmessage", A("SUBSCRIBE", "news"), A("PSUBSCRIBE", "ne*"), B("PUBLISH", "news", "twice")),
        AnyOrder("two matching patterns on one connection", A("PSUBSCRIBE", "ne*", "n?ws", "*"), B("PUBLISH", "news", "thrice")),
        Same("the same pattern from two connections", A("PSUBSCRIBE", "p*"), C("PSUBSCRIBE", "p*"), B("PUBLISH", "pq", "x")),
        Same("subscribed twice, delivered once", A("SUBSCRIBE", "ch", "ch"), A("SUBSCRIBE", "ch"), B("PUBLISH", "ch", "once")),
        Same("pattern subscribed twice, delivered once", A("PSUBSCRIBE", "c*", "c*"), B("PUBLISH", "ch", "once")),
        Same("UNSUBSCRIBE stops delivery", A("SUBSCRIBE", "ch"), B("PUBLISH", "ch", "1"), A("UNSUBSCRIBE", "ch"), B("PUBLISH", "ch", "2")),
        Same("PUNSUBSCRIBE stops delivery", A("PSUBSCRIBE", "c*"), B("PUBLISH", "ch", "1"), A("PUNSUBSCRIBE", "c*"), B("PUBLISH", "ch", "2")),
        Same("UNSUBSCRIBE of all stops delivery", A("SUBSCRIBE", "ch"), A("UNSUBSCRIBE"), B("PUBLISH", "ch", "x")),
        Same("UNSUBSCRIBE keeps pattern delivery", A("SUBSCRIBE", "ch"), A("PSUBSCRIBE", "c*"), A("UNSUBSCRIBE"), B("PUBLISH", "ch", "x")),
        Same("RESET stops delivery", A("SUBSCRIBE", "ch"), A("PSUBSCRIBE", "c*"), A("SSUBSCRIBE", "ch"), A("RESET"), B("PUBLISH", "ch", "x"), B("SPUBLISH", "ch", "y"), B("PUBSUB", "NUMSUB", "ch")),
        Same("QUIT stops delivery", A("SUBSCRIBE", "ch"), A("QUIT"), B("PUBLISH", "ch", "x")),
        Same("a subscriber that publishes is told its own message (RESP3)", A("SUBSCRIBE", "ch"), A("PUBLISH", "ch", "self")),

        // Shard channels
        Same("smessage frame", A("SSUBSCRIBE", "sh"), B("SPUBLISH", "sh", "hello")),
        Same("SPUBLISH to two shard subscribers", A("SSUBSCRIBE", "sh"), C("SSUBSCRIBE", "sh"), B("SPUBLISH", "sh", "x")),
        Same("SPUBLISH does not reach SUBSCRIBE", A("SUBSCRIBE", "sh"), B("SPUBLISH", "sh", "x")),
        Same("SPUBLISH does not reach PSUBSCRIBE", A("PSUBSCRIBE", "s*"), B("SPUBLISH", "sh", "x")),
        Same("PUBLISH does not reach SSUBSCRIBE", A("SSUBSCRIBE", "sh"), B("PUBLISH", "sh", "x")),
        Same("one name, both kinds", A("SUBSCRIBE", "both"), A("SSUBSCRIBE", "both"), B("PUBLISH", "both", "p"), B("SPUBLISH", "both", "s")),
        Same("SUNSUBSCRIBE stops delivery", A("SSUBSCRIBE", "sh"), B("SPUBLISH", "sh", "1"), A("SUNSUBSCRIBE", "sh"), B("SPUBLISH", "sh", "2")),

        // Payloads and names
        Same("binary channel and payload", A("SUBSCRIBE", Binary), B("PUBLISH", Binary, Binary)),
        Same("binary pattern", A("PSUBSCRIBE", "\xff\0*"), B("PUBLISH", "\xff\0\r\n", Binary)),
        Same("binary shard channel", A("SSUBSCRIBE", Binary), B("SPUBLISH", Binary, Binary)),
        Same("empty payload", A("SUBSCRIBE", "ch"), A("PSUBSCRIBE", "c*"), B("PUBLISH", "ch", "")),
        Same("empty channel name", A("SUBSCRIBE", ""), A("PSUBSCRIBE", "*"), B("PUBLISH", "", "to nowhere")),
        Same("1 MB payload", A("SUBSCRIBE", "big"), B("PUBLISH", "big", Megabyte)),
        Same("1 MB payload to a pattern", A("PSUBSCRIBE", "b*"), B("PUBLISH", "big", Megabyte)),
        Same("1 MB shard payload", A("SSUBSCRIBE", "big"), B("SPUBLISH", "big", Megabyte)),
        Same("a payload that looks like RESP", A("SUBSCRIBE", "ch"), B("PUBLISH", "ch", "*3\r\n$7\r\nmessage\r\n")),

        // Order: one publisher, several channels, one subscriber of all
        Same("pipelined publishes to several channels arrive in order",
            A("SUBSCRIBE", "o1", "o2", "o3"), A("PSUBSCRIBE", "p*"),
            Pipeline('B', ["PUBLISH", "o1", "1"], ["PUBLISH", "o2", "2"], ["PUBLISH", "px", "3"], ["PUBLISH", "o3", "4"], ["PUBLISH", "o1", "5"], ["PUBLISH", "nobody", "6"], ["PUBLISH", "o2", "7"])),
        Same("publishes from two connections", A("SUBSCRIBE", "o1"), B("PUBLISH", "o1", "from B"), C("PUBLISH", "o1", "from C"), B("PUBLISH", "o1", "B again")),
        Same("subscription confirmation precedes the first message", Pipeline('A', ["SUBSCRIBE", "o1"], ["SUBSCRIBE", "o2"]), B("PUBLISH", "o1", "x")),

        // PUBSUB introspection of the server's state
        Masked("PUBSUB CHANNELS", PubSubMasks.SortedArrays, A("SUBSCRIBE", "a1", "a2", "b1"), C("SUBSCRIBE", "a1", "c1"), B("PUBSUB", "CHANNELS"), B("PUBSUB", "CHANNELS", "a*"), B("PUBSUB", "CHANNELS", "?1"), B("PUBSUB", "CHANNELS", "x*")),
        Masked("PUBSUB CHANNELS forgets a channel left", PubSubMasks.SortedArrays, A("SUBSCRIBE", "a1", "a2"), A("UNSUBSCRIBE", "a1"), B("PUBSUB", "CHANNELS")),
        Masked("PUBSUB CHANNELS lists no pattern or shard channel", PubSubMasks.SortedArrays, A("PSUBSCRIBE", "pat*"), A("SSUBSCRIBE", "shard"), B("PUBSUB", "CHANNELS"), B("PUBSUB", "SHARDCHANNELS")),
        Masked("PUBSUB SHARDCHANNELS", PubSubMasks.SortedArrays, A("SSUBSCRIBE", "s1", "s2", "t1"), A("SUBSCRIBE", "c1"), B("PUBSUB", "SHARDCHANNELS"), B("PUBSUB", "SHARDCHANNELS", "s*"), B("PUBSUB", "SHARDCHANNELS", "c*")),
        Same("PUBSUB NUMSUB", A("SUBSCRIBE", "a", "b"), C("SUBSCRIBE", "a"), C("PSUBSCRIBE", "a*"), C("SSUBSCRIBE", "a"), B("PUBSUB", "NUMSUB", "a", "b", "c", "a")),
        Same("PUBSUB SHARDNUMSUB", A("SSUBSCRIBE", "a", "b"), C("SSUBSCRIBE", "a"), C("SUBSCRIBE", "a"), B("PUBSUB", "SHARDNUMSUB", "a", "b", "c")),
        Same("PUBSUB NUMPAT counts distinct patterns", A("PSUBSCRIBE", "p*", "q*"), C("PSUBSCRIBE", "p*"), B("PUBSUB", "NUMPAT"), A("PUNSUBSCRIBE", "p*"), B("PUBSUB", "NUMPAT"), C("PUNSUBSCRIBE"), B("PUBSUB", "NUMPAT")),
        Same("PUBSUB NUMPAT, NUMSUB after QUIT", A("SUBSCRIBE", "a"), A("PSUBSCRIBE", "p*"), A("QUIT"), B("PUBSUB", "NUMPAT"), B("PUBSUB", "NUMSUB", "a")),
        Same("PUBSUB NUMSUB after RESET", A("SUBSCRIBE", "a"), A("PSUBSCRIBE", "p*"), A("RESET"), B("PUBSUB", "NUMPAT"), B("PUBSUB", "NUMSUB", "a")),
    ];

    private static readonly Dictionary<string, ScriptCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => ScriptCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Every_connection_sees_what_it_sees_on_redis(string name, int protocol) =>
        ScriptRunner.RunAsync(fixture, ByName[name], protocol);
}
