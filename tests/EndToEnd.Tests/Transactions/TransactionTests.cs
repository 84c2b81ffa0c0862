using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;
using static Platform.EndToEnd.Tests.Streams.Script;
using static Platform.EndToEnd.Tests.Streams.SessionCase;

namespace Platform.EndToEnd.Tests.Transactions;

/// <summary>
/// MULTI, EXEC, DISCARD, WATCH and UNWATCH byte for byte against redis-server 7.0, RESP2 and RESP3:
/// on one connection (queueing, nesting, errors while queueing and at run time), and with a second
/// connection touching a watched key (EXEC answers null).
/// </summary>
public sealed class TransactionTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    public static readonly DiffCase[] Cases =
    [
        S("MULTI EXEC", "MULTI; XADD s 1 a 1; XADD s 2 b 2; XLEN s; XRANGE s - +; EXEC; XLEN s"),
        S("MULTI EXEC empty", "MULTI; EXEC"),
        S("EXEC without MULTI", "EXEC"),
        S("DISCARD without MULTI", "DISCARD"),
        S("DISCARD", "MULTI; XADD s 1 a 1; DISCARD; EXISTS s; EXEC"),
        S("nested MULTI", "MULTI; MULTI; XADD s 1 a 1; EXEC; XLEN s"),
        S("nested MULTI does not abort", "MULTI; XADD s 1 a 1; MULTI; EXEC"),
        S("arity error while queueing aborts", "MULTI; XADD s 1 a 1; XADD s; EXEC; EXISTS s"),
        S("unknown command while queueing aborts", "MULTI; XADD s 1 a 1; NOSUCH x; EXEC; EXISTS s"),
        S("EXECABORT then a new transaction", "MULTI; XLEN; EXEC; MULTI; XLEN s; EXEC"),
        S("runtime errors are per command", "MULTI; XADD s 1 a 1; XADD s 1 a 1; XADD s MAXLEN x 2 a 1; XADD s 2 b 2; XGROUP CREATE s g nosuchid; XLEN s; EXEC"),
        S("runtime error of a missing group", "MULTI; XADD s 1 a 1; XREADGROUP GROUP g c STREAMS s >; XACK s g 1; XLEN s; EXEC"),
        S("WATCH inside MULTI", "MULTI; WATCH s; XADD s 1 a 1; EXEC"),
        S("WATCH arity", "WATCH; UNWATCH x"),
        S("WATCH unchanged", "XADD s 1 a 1; WATCH s; MULTI; XLEN s; EXEC"),
        S("WATCH then own write", "XADD s 1 a 1; WATCH s; XADD s 2 a 2; MULTI; XLEN s; EXEC; XLEN s"),
        S("WATCH missing key then created", "WATCH s; XADD s 1 a 1; MULTI; XLEN s; EXEC"),
        S("WATCH then DEL of missing key", "WATCH s; DEL s; MULTI; XLEN s; EXEC"),
        S("WATCH then no-op commands", "XADD s 1 a 1; WATCH s; XRANGE s - +; XLEN s; XTRIM s MAXLEN 5; XDEL s 9; MULTI; XLEN s; EXEC"),
        S("WATCH then group change", "XADD s 1 a 1; XGROUP CREATE s g 0; WATCH s; XREADGROUP GROUP g c STREAMS s >; MULTI; XLEN s; EXEC"),
        S("WATCH then XGROUP CREATE", "XADD s 1 a 1; WATCH s; XGROUP CREATE s g 0; MULTI; XLEN s; EXEC"),
        S("WATCH then EXPIRE", "XADD s 1 a 1; WATCH s; EXPIRE s 100; MULTI; TTL s; EXEC"),
        S("UNWATCH", "XADD s 1 a 1; WATCH s; UNWATCH; XADD s 2 a 2; MULTI; XLEN s; EXEC"),
        S("WATCH cleared by EXEC", "XADD s 1 a 1; WATCH s; MULTI; EXEC; XADD s 2 a 2; MULTI; XLEN s; EXEC"),
        S("WATCH cleared by DISCARD", "XADD s 1 a 1; WATCH s; MULTI; DISCARD; XADD s 2 a 2; MULTI; XLEN s; EXEC"),
        S("WATCH several keys", "XADD s 1 a 1; WATCH s t u; XADD u 1 a 1; MULTI; XLEN s; EXEC"),
        S("WATCH in another database", "WATCH s; SELECT 1; XADD s 1 a 1; MULTI; XLEN s; EXEC"),
        S("SELECT inside MULTI", "MULTI; SELECT 2; XADD s 1 a 1; EXEC; DBSIZE; SELECT 0; DBSIZE"),
        S("MULTI with keyspace commands", "XADD a 1 f v; MULTI; RENAME a b; EXPIRE b 100; TTL b; EXISTS a b; TYPE b; DEL b; DBSIZE; EXEC"),
        S("EXEC with arguments", "MULTI; EXEC x; EXEC"),
        S("MULTI with arguments", "MULTI x; MULTI; DISCARD x; DISCARD"),
        S("PING and ECHO queued", "MULTI; PING; ECHO hi; EXEC"),
        S("queued command errors keep their text", "MULTI; XADD s 1-1 a 1; XADD s 0-1 a 1; XSETID s 0; XINFO STREAM nosuch; EXEC"),
        S("FLUSHALL in MULTI", "XADD s 1 a 1; MULTI; FLUSHALL; XLEN s; EXEC"),
    ];

    public static readonly SessionCase[] Sessions =
    [
        new("WATCH then another client writes", [
            On('A', "XADD s 1 a 1; WATCH s"),
            On('B', "XADD s 2 a 2"),
            On('A', "MULTI; XADD s 3 a 3; EXEC; XLEN s")]),
        new("WATCH then another client deletes", [
            On('A', "XADD s 1 a 1; WATCH s"),
            On('B', "DEL s"),
            On('A', "MULTI; XLEN s; EXEC")]),
        new("WATCH then another client renames", [
            On('A', "XADD s 1 a 1; WATCH s t"),
            On('B', "RENAME s t"),
            On('A', "MULTI; XLEN t; EXEC")]),
        new("WATCH then another client flushes", [
            On('A', "XADD s 1 a 1; WATCH s"),
            On('B', "FLUSHALL"),
            On('A', "MULTI; XLEN s; EXEC")]),
        new("WATCH then another client acks", [
            On('A', "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g c STREAMS s >; WATCH s"),
            On('B', "XACK s g 1"),
            On('A', "MULTI; XPENDING s g; EXEC")]),
        new("WATCH then another client writes elsewhere", [
            On('A', "XADD s 1 a 1; WATCH s"),
            On('B', "XADD t 1 a 1; SELECT 1; XADD s 1 a 1"),
            On('A', "MULTI; XLEN s; EXEC")]),
        new("WATCH then the key expires", [
            On('A', "XADD s 1 a 1; PEXPIRE s 50; WATCH s"),
            Pause(200),
            On('A', "MULTI; EXISTS s; EXEC")]),
        new("queued transaction sees another client's write", [
            On('A', "MULTI; XLEN s"),
            On('B', "XADD s 1 a 1"),
            On('A', "XLEN s; EXEC")]),
        new("UNWATCH then another client writes", [
            On('A', "XADD s 1 a 1; WATCH s; UNWATCH"),
            On('B', "XADD s 2 a 2"),
            On('A', "MULTI; XLEN s; EXEC")]),
    ];

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    private static readonly Dictionary<string, SessionCase> SessionsByName = Sessions.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2, 3);

    public static TheoryData<string, int> SessionRows => SessionCase.Rows(Sessions, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);

    [Theory]
    [MemberData(nameof(SessionRows))]
    public Task Watched_keys_behave_as_redis_s(string name, int protocol) => SessionRunner.RunAsync(fixture, SessionsByName[name], protocol);
}
