using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Differential.DiffCase;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// The Pub/Sub commands on one connection, byte for byte against redis-server 7.0, in RESP2 and
/// after HELLO 3: confirmations and their counts, nulls, errors, subscribed mode (PING, the
/// RESP2 restriction, RESET, QUIT). One line per case. Channel names are unique per case, so
/// nothing depends on another case's connection having been cleaned up; what reads the
/// server's global state (PUBSUB CHANNELS, NUMPAT) is in <see cref="PubSubDeliveryTests"/>,
/// whose runner waits for a clean server.
/// </summary>
public sealed class PubSubCommandTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    public static readonly DiffCase[] Cases =
    [
        // SUBSCRIBE
        Same("SUBSCRIBE one", C("SUBSCRIBE", "c1")),
        Same("SUBSCRIBE several, counts rise", C("SUBSCRIBE", "c2a", "c2b", "c2c")),
        Same("SUBSCRIBE the same channel twice in one command", C("SUBSCRIBE", "c3", "c3")),
        Same("SUBSCRIBE the same channel in two commands", C("SUBSCRIBE", "c4") + C("SUBSCRIBE", "c4", "c4b")),
        Same("SUBSCRIBE lower case", C("subscribe", "c5")),
        Same("SUBSCRIBE inline", "SUBSCRIBE c6a c6b\r\n"),
        Same("SUBSCRIBE empty name", C("SUBSCRIBE", "")),
        Same("SUBSCRIBE binary name", C("SUBSCRIBE", "c7\0\r\n\xff")),
        Same("SUBSCRIBE arity", C("SUBSCRIBE")),
        Same("SUBSCRIBE then arity error keeps the subscription", C("SUBSCRIBE", "c8") + C("SUBSCRIBE") + C("UNSUBSCRIBE", "c8")),

        // PSUBSCRIBE
        Same("PSUBSCRIBE one", C("PSUBSCRIBE", "p1*")),
        Same("PSUBSCRIBE several", C("PSUBSCRIBE", "p2*", "p2?", "p2[ab]")),
        Same("PSUBSCRIBE the same pattern twice", C("PSUBSCRIBE", "p3*", "p3*") + C("PSUBSCRIBE", "p3*")),
        Same("PSUBSCRIBE binary pattern", C("PSUBSCRIBE", "p4\0*\xff")),
        Same("PSUBSCRIBE arity", C("PSUBSCRIBE")),

        // SSUBSCRIBE
        Same("SSUBSCRIBE one", C("SSUBSCRIBE", "s1")),
        Same("SSUBSCRIBE several", C("SSUBSCRIBE", "s2a", "s2b")),
        Same("SSUBSCRIBE the same channel twice", C("SSUBSCRIBE", "s3", "s3") + C("SSUBSCRIBE", "s3")),
        Same("SSUBSCRIBE arity", C("SSUBSCRIBE")),

        // Counts: channels and patterns share one count, shard channels have their own
        Same("channels and patterns share a count", C("SUBSCRIBE", "n1a") + C("PSUBSCRIBE", "n1*") + C("SUBSCRIBE", "n1b") + C("PSUBSCRIBE", "n1?")),
        Same("shard channels count apart", C("SUBSCRIBE", "n2a") + C("SSUBSCRIBE", "n2s") + C("PSUBSCRIBE", "n2*") + C("SSUBSCRIBE", "n2t")),
        Same("same name as channel and shard channel", C("SUBSCRIBE", "n3") + C("SSUBSCRIBE", "n3") + C("PSUBSCRIBE", "n3")),
        Same("unsubscribe counts down across kinds", C("SUBSCRIBE", "n4a", "n4b") + C("PSUBSCRIBE", "n4*") + C("SSUBSCRIBE", "n4s") + C("UNSUBSCRIBE", "n4a") + C("PUNSUBSCRIBE", "n4*") + C("SUNSUBSCRIBE", "n4s") + C("UNSUBSCRIBE", "n4b")),

        // UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE
        Same("UNSUBSCRIBE with no subscriptions", C("UNSUBSCRIBE")),
        Same("PUNSUBSCRIBE with no subscriptions", C("PUNSUBSCRIBE")),
        Same("SUNSUBSCRIBE with no subscriptions", C("SUNSUBSCRIBE")),
        Same("UNSUBSCRIBE a channel never subscribed", C("UNSUBSCRIBE", "u1")),
        Same("PUNSUBSCRIBE a pattern never subscribed", C("PUNSUBSCRIBE", "u2*")),
        Same("SUNSUBSCRIBE a channel never subscribed", C("SUNSUBSCRIBE", "u3")),
        Same("UNSUBSCRIBE one of two", C("SUBSCRIBE", "u4a", "u4b") + C("UNSUBSCRIBE", "u4a")),
        Same("UNSUBSCRIBE twice", C("SUBSCRIBE", "u5") + C("UNSUBSCRIBE", "u5", "u5")),
        Same("UNSUBSCRIBE all of one", C("SUBSCRIBE", "u6") + C("UNSUBSCRIBE")),
        Masked("UNSUBSCRIBE all of three", C("SUBSCRIBE", "u7a", "u7b", "u7c") + C("UNSUBSCRIBE"), PubSubMasks.LeftInAnyOrder),
        Same("UNSUBSCRIBE all, then none left", C("SUBSCRIBE", "u8") + C("UNSUBSCRIBE") + C("UNSUBSCRIBE")),
        Same("UNSUBSCRIBE all keeps patterns", C("SUBSCRIBE", "u9") + C("PSUBSCRIBE", "u9*") + C("UNSUBSCRIBE")),
        Same("PUNSUBSCRIBE all keeps channels", C("SUBSCRIBE", "u10") + C("PSUBSCRIBE", "u10*") + C("PUNSUBSCRIBE")),
        Masked("PUNSUBSCRIBE all of two", C("PSUBSCRIBE", "u11*", "u11?") + C("PUNSUBSCRIBE"), PubSubMasks.LeftInAnyOrder),
        Same("SUNSUBSCRIBE all keeps channels", C("SUBSCRIBE", "u12") + C("SSUBSCRIBE", "u12s") + C("SUNSUBSCRIBE")),
        Masked("SUNSUBSCRIBE all of two", C("SSUBSCRIBE", "u13a", "u13b") + C("SUNSUBSCRIBE"), PubSubMasks.LeftInAnyOrder),
        Same("UNSUBSCRIBE does not leave a shard channel of the same name", C("SSUBSCRIBE", "u14") + C("UNSUBSCRIBE", "u14") + C("SUNSUBSCRIBE", "u14")),
        Same("UNSUBSCRIBE lower case", C("SUBSCRIBE", "u15") + C("unsubscribe", "u15")),
        Same("UNSUBSCRIBE binary name", C("SUBSCRIBE", "u16\0\xff") + C("UNSUBSCRIBE", "u16\0\xff")),

        // Subscribed mode: PING, the RESP2 restriction (RESP3 has none), leaving it
        Same("PING while subscribed", C("SUBSCRIBE", "m1") + C("PING")),
        Same("PING message while subscribed", C("SUBSCRIBE", "m2") + C("PING", "hello")),
        Same("PING empty message while subscribed", C("SUBSCRIBE", "m3") + C("PING", "")),
        Same("PING inline while subscribed", C("SUBSCRIBE", "m4") + "PING\r\n"),
        Same("PING arity while subscribed", C("SUBSCRIBE", "m5") + C("PING", "a", "b")),
        Same("PING while pattern subscribed", C("PSUBSCRIBE", "m6*") + C("PING")),
        Same("PING while shard subscribed", C("SSUBSCRIBE", "m7") + C("PING")),
        Same("PING after leaving subscribed mode", C("SUBSCRIBE", "m8") + C("UNSUBSCRIBE", "m8") + C("PING")),
        Same("XLEN while subscribed", C("SUBSCRIBE", "r1") + C("XLEN", "k")),
        Same("ECHO while subscribed", C("SUBSCRIBE", "r2") + C("ECHO", "x")),
        Masked("CLIENT ID while subscribed", C("SUBSCRIBE", "r3") + C("CLIENT", "ID"), PubSubMasks.TopLevelIntegers),
        Same("PUBLISH while subscribed", C("SUBSCRIBE", "r4") + C("PUBLISH", "r4", "x")),
        Same("PUBSUB NUMSUB while subscribed", C("SUBSCRIBE", "r5") + C("PUBSUB", "NUMSUB", "r5")),
        Same("CONFIG GET while subscribed", C("SUBSCRIBE", "r6") + C("CONFIG", "GET", "timeout")),
        Masked("HELLO while subscribed", C("SUBSCRIBE", "r7") + C("HELLO", "2"), Masks.HelloId),
        Same("SELECT while pattern subscribed", C("PSUBSCRIBE", "r8*") + C("SELECT", "1")),
        Same("ECHO while shard subscribed", C("SSUBSCRIBE", "r9") + C("ECHO", "x")),
        Same("unknown command while subscribed is unknown", C("SUBSCRIBE", "r10") + C("NOSUCH", "x")),
        Same("arity error while subscribed comes first", C("SUBSCRIBE", "r11") + C("ECHO")),
        Same("ECHO after UNSUBSCRIBE of all", C("SUBSCRIBE", "r12") + C("UNSUBSCRIBE") + C("ECHO", "back")),
        Same("ECHO after UNSUBSCRIBE while still shard subscribed", C("SUBSCRIBE", "r13") + C("SSUBSCRIBE", "r13s") + C("UNSUBSCRIBE") + C("ECHO", "x") + C("SUNSUBSCRIBE") + C("ECHO", "y")),
        Same("ECHO after PUNSUBSCRIBE of all", C("PSUBSCRIBE", "r14*") + C("PUNSUBSCRIBE") + C("ECHO", "back")),
        Same("subscribing while subscribed is allowed", C("SUBSCRIBE", "r15") + C("PSUBSCRIBE", "r15*") + C("SSUBSCRIBE", "r15s") + C("UNSUBSCRIBE", "r15")),
        Same("RESET while subscribed", C("SUBSCRIBE", "r16") + C("PSUBSCRIBE", "r16*") + C("RESET") + C("ECHO", "after")),
        Same("RESET while shard subscribed", C("SSUBSCRIBE", "r17") + C("RESET") + C("SUNSUBSCRIBE")),
        Same("RESET leaves every subscription", C("SUBSCRIBE", "r18") + C("RESET") + C("UNSUBSCRIBE") + C("PUNSUBSCRIBE") + C("SUNSUBSCRIBE")),
        Closes("QUIT while subscribed", C("SUBSCRIBE", "r19") + C("QUIT")),
        Same("pipelined subscribe, ping, unsubscribe", C("SUBSCRIBE", "r20") + C("PING") + C("UNSUBSCRIBE", "r20") + C("PING")),

        // PUBLISH and SPUBLISH (no subscribers here; delivery is in PubSubDeliveryTests)
        Same("PUBLISH nobody listens", C("PUBLISH", "x1-nobody", "hi")),
        Same("SPUBLISH nobody listens", C("SPUBLISH", "x2-nobody", "hi")),
        Same("PUBLISH arity", C("PUBLISH", "x3")),
        Same("PUBLISH arity too many", C("PUBLISH", "x4", "a", "b")),
        Same("SPUBLISH arity", C("SPUBLISH", "x5")),
        Same("PUBLISH to self, pipelined after a reply", C("SUBSCRIBE", "x6") + C("PING") + C("PUBLISH", "x6", "hi") + C("ECHO", "after")),
        Same("PUBLISH to self, pipelined", C("SUBSCRIBE", "x7") + C("PUBLISH", "x7", "hi") + C("UNSUBSCRIBE", "x7") + C("PUBLISH", "x7", "hi")),
        Same("SPUBLISH to self, pipelined after a reply", C("SSUBSCRIBE", "x8") + C("ECHO", "e") + C("SPUBLISH", "x8", "hi") + C("PING")),

        // PUBSUB
        Same("PUBSUB arity", C("PUBSUB")),
        Same("PUBSUB unknown subcommand", C("PUBSUB", "NOSUCH")),
        Same("PUBSUB unknown subcommand with args", C("PUBSUB", "nosuch", "a", "b")),
        Same("PUBSUB HELP", C("PUBSUB", "HELP")),
        Same("PUBSUB help lower case", C("pubsub", "help")),
        Same("PUBSUB HELP arity", C("PUBSUB", "HELP", "x")),
        Same("PUBSUB CHANNELS too many args", C("PUBSUB", "CHANNELS", "a", "b")),
        Same("PUBSUB channels too many args, lower case", C("PUBSUB", "channels", "a", "b")),
        Same("PUBSUB SHARDCHANNELS too many args", C("PUBSUB", "SHARDCHANNELS", "a", "b")),
        Same("PUBSUB CHANNELS no match", C("PUBSUB", "CHANNELS", "no-such-channel-*")),
        Same("PUBSUB SHARDCHANNELS no match", C("PUBSUB", "SHARDCHANNELS", "no-such-channel-*")),
        Same("PUBSUB NUMSUB none", C("PUBSUB", "NUMSUB")),
        Same("PUBSUB NUMSUB unknown channels", C("PUBSUB", "NUMSUB", "y1", "y2", "y1")),
        Same("PUBSUB NUMSUB binary", C("PUBSUB", "NUMSUB", "y3\0\xff")),
        Same("PUBSUB SHARDNUMSUB none", C("PUBSUB", "SHARDNUMSUB")),
        Same("PUBSUB SHARDNUMSUB unknown channels", C("PUBSUB", "SHARDNUMSUB", "y4", "y5")),
        Same("PUBSUB NUMPAT arity", C("PUBSUB", "NUMPAT", "x")),
        Same("PUBSUB NUMSUB of own subscription", C("SUBSCRIBE", "y6") + C("SSUBSCRIBE", "y6") + C("PUBSUB", "NUMSUB", "y6", "y7") + C("PUBSUB", "SHARDNUMSUB", "y6")),
        Same("PUBSUB CHANNELS of own subscription", C("SUBSCRIBE", "y8-own-a", "y8-own-b\0") + C("PUBSUB", "CHANNELS", "y8-own-a")),

        // client-output-buffer-limit: Redis's format, units, classes and errors
        Same("CONFIG GET client-output-buffer-limit", C("CONFIG", "GET", "client-output-buffer-limit")),
        Same("CONFIG SET client-output-buffer-limit pubsub", SetLimits("pubsub 1mb 512kb 5"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit two classes", SetLimits("normal 1gb 2gb 3 pubsub 4mb 5mb 6"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit upper case", SetLimits("PUBSUB 1MB 512KB 5"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit replica alias", SetLimits("replica 1 2 3"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit unknown class", SetLimits("nosuch 0 0 0"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit master class", SetLimits("master 0 0 0"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit wrong count", SetLimits("pubsub 1 2"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit negative", SetLimits("pubsub -1 0 0"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit not a number", SetLimits("pubsub abc 0 0"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit bad seconds", SetLimits("pubsub 0 0 x"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit negative seconds", SetLimits("pubsub 0 0 -1"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit fraction", SetLimits("pubsub 1.5mb 0 0"), restore: DefaultLimits),
        Same("CONFIG SET client-output-buffer-limit empty", SetLimits(""), restore: DefaultLimits),
    ];

    private static string DefaultLimits => C("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2, 3);

    // CONFIG SET of the limits, then CONFIG GET of them.
    private static string SetLimits(string value) =>
        C("CONFIG", "SET", "client-output-buffer-limit", value) + C("CONFIG", "GET", "client-output-buffer-limit");

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);
}
