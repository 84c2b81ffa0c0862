using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Streams.Script;

namespace Platform.EndToEnd.Tests.Keyspace;

/// <summary>
/// The keyspace commands (DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, OBJECT, MEMORY USAGE, the
/// EXPIRE family, TTL, PERSIST, EXPIRETIME, FLUSHDB, FLUSHALL, DBSIZE, SELECT, INFO keyspace) byte
/// for byte against redis-server 7.0, in several databases, RESP2 and RESP3. Streams are the only
/// type both servers share, so every key is made with XADD.
/// </summary>
public sealed partial class KeyspaceCommandTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    // Far in the future, so EXPIRETIME and PEXPIRETIME answer exactly what was set.
    private const string Future = "4102444800";
    private const string FutureMs = "4102444800123";

    public static readonly DiffCase[] Cases =
    [
        // DEL, UNLINK, EXISTS, TYPE
        S("DEL", "XADD a 1 f v; XADD b 1 f v; DEL a b c; DEL a; EXISTS a b"),
        S("DEL duplicate keys", "XADD a 1 f v; DEL a a"),
        S("DEL arity", "DEL"),
        S("UNLINK", "XADD a 1 f v; XADD b 1 f v; UNLINK a b c; UNLINK a; EXISTS a b; UNLINK"),
        S("EXISTS", "XADD a 1 f v; EXISTS a; EXISTS a a b; EXISTS b; EXISTS"),
        S("TYPE", "XADD a 1 f v; TYPE a; TYPE b; TYPE; TYPE a b"),
        S("TYPE of emptied stream", "XADD a 1 f v; XDEL a 1; TYPE a; EXISTS a; DBSIZE"),

        // SELECT and databases
        S("databases are apart", "XADD k 1 f v; SELECT 1; EXISTS k; XADD k 2 f v; DBSIZE; SELECT 0; XRANGE k - +; DBSIZE; SELECT 1; XRANGE k - +"),
        S("DEL in another database", "SELECT 3; XADD k 1 f v; SELECT 4; DEL k; SELECT 3; DEL k; EXISTS k"),
        S("FLUSHDB only current", "XADD k 1 f v; SELECT 2; XADD k 1 f v; FLUSHDB; DBSIZE; SELECT 0; DBSIZE"),
        S("FLUSHDB options", "XADD k 1 f v; FLUSHDB ASYNC; XADD k 1 f v; FLUSHDB SYNC; DBSIZE; FLUSHDB FOO; FLUSHDB SYNC ASYNC"),
        S("FLUSHALL", "XADD k 1 f v; SELECT 5; XADD k 1 f v; FLUSHALL; DBSIZE; SELECT 0; DBSIZE; FLUSHALL ASYNC; FLUSHALL SYNC; FLUSHALL FOO"),
        S("DBSIZE", "DBSIZE; XADD a 1 f v; XADD b 1 f v; DBSIZE; DBSIZE x"),
        M("INFO keyspace", $"XADD a 1 f v; XADD b 1 f v; EXPIREAT b {Future}; SELECT 9; XADD c 1 f v; INFO keyspace; INFO KEYSPACE", AvgTtl),
        S("INFO keyspace empty", "INFO keyspace"),

        // KEYS
        M("KEYS *", "XADD hello 1 f v; XADD hallo 1 f v; XADD hxllo 1 f v; XADD hllo 1 f v; XADD heeeello 1 f v; KEYS *", SortedArrays),
        M("KEYS patterns", "XADD hello 1 f v; XADD hallo 1 f v; XADD hxllo 1 f v; XADD hllo 1 f v; XADD heeeello 1 f v; KEYS h?llo; KEYS h*llo; KEYS h[ae]llo; KEYS h[^e]llo; KEYS h[a-b]llo; KEYS nothing*", SortedArrays),
        M("KEYS escapes", "XADD a*b 1 f v; XADD axb 1 f v; XADD \"a\\\\b\" 1 f v; KEYS a\\*b; KEYS a*; KEYS \"a\\\\\\\\b\"; KEYS a[*]b", SortedArrays),
        M("KEYS in another database", "XADD a 1 f v; SELECT 7; XADD b 1 f v; KEYS *; SELECT 0; KEYS *", SortedArrays),
        S("KEYS arity", "KEYS; KEYS a b"),

        // SCAN (pages legitimately differ: only whole small iterations and errors are compared)
        M("SCAN small keyspace", "XADD a 1 f v; XADD b 1 f v; XADD c 1 f v; SCAN 0; SCAN 0 COUNT 100; SCAN 0 MATCH a*; SCAN 0 TYPE stream; SCAN 0 TYPE string; SCAN 0 type STREAM MATCH * COUNT 5", SortedArrays),
        S("SCAN empty", "SCAN 0; SCAN 0 MATCH *"),
        S("SCAN errors", "XADD a 1 f v; SCAN; SCAN x; SCAN 0 COUNT 0; SCAN 0 COUNT -1; SCAN 0 COUNT x; SCAN 0 MATCH; SCAN 0 TYPE; SCAN 0 FOO bar; SCAN 0 COUNT"),
        // On an empty keyspace: which keys a cursor past the table finds depends on Redis's random hash seed.
        S("SCAN cursor forms", "SCAN 00; SCAN -1; SCAN +0; SCAN \" 0\"; SCAN 18446744073709551615; SCAN 18446744073709551616"),

        // RANDOMKEY
        S("RANDOMKEY", "RANDOMKEY; XADD k 1 f v; RANDOMKEY; RANDOMKEY x"),

        // RENAME, RENAMENX
        S("RENAME", "XADD a 1 f v; RENAME a b; EXISTS a; XRANGE b - +"),
        S("RENAME missing", "RENAME a b; RENAMENX a b"),
        S("RENAME onto existing", "XADD a 1 f v; XADD b 2 g w; RENAME a b; XRANGE b - +; DBSIZE"),
        S("RENAME same key", "XADD a 1 f v; RENAME a a; RENAMENX a a; XLEN a"),
        S("RENAMENX", "XADD a 1 f v; XADD b 2 g w; RENAMENX a b; RENAMENX a c; EXISTS a; XRANGE c - +"),
        S("RENAME arity", "RENAME a; RENAMENX a; RENAME a b c"),
        M("RENAME keeps groups and PEL", "XADD s 1 a 1; XADD s 2 b 2; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT 1 STREAMS s >; XINFO STREAM s FULL; RENAME s t; XINFO STREAM t FULL; XREADGROUP GROUP g bob STREAMS t >; XPENDING t g"),
        S("RENAME keeps expiry", $"XADD a 1 f v; EXPIREAT a {Future}; RENAME a b; EXPIRETIME b; TTL a; RENAMENX b c; EXPIRETIME c"),
        S("RENAME onto key with expiry", $"XADD a 1 f v; XADD b 1 f v; EXPIREAT b {Future}; RENAME a b; TTL b"),

        // COPY, MOVE
        S("COPY", "XADD a 1 f v; COPY a b; COPY a b; XRANGE b - +; XADD b 2 g w; XLEN a; XLEN b; COPY missing c; EXISTS c"),
        S("COPY REPLACE", "XADD a 1 f v; XADD b 2 g w; XADD b 3 g w; COPY a b REPLACE; XRANGE b - +; COPY a b REPLACE REPLACE"),
        S("COPY to another database", "XADD a 1 f v; COPY a a DB 1; COPY a a DB 1; COPY a b db 2 replace; SELECT 1; XRANGE a - +; SELECT 2; XRANGE b - +; DBSIZE"),
        S("COPY errors", "XADD a 1 f v; COPY a a; COPY a a DB 0; COPY a b DB 16; COPY a b DB -1; COPY a b DB x; COPY a b DB 99999999999999999999; COPY a b DB 4294967296; " +
            "COPY a b DB; COPY a b FOO; COPY a b REPLACE DB; COPY missing missing; COPY a; EXISTS b"),
        M("COPY keeps groups and PEL", "XADD s 1 a 1; XADD s 2 b 2; XDEL s 2; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT 1 STREAMS s >; COPY s t; " +
            "XINFO STREAM t FULL; XACK t g 1; XPENDING s g; XPENDING t g; XREADGROUP GROUP g bob STREAMS s >; XINFO GROUPS t"),
        S("COPY keeps expiry", $"XADD a 1 f v; EXPIREAT a {Future}; COPY a b; COPY a c DB 3; EXPIRETIME b; SELECT 3; EXPIRETIME c"),
        S("COPY onto key with expiry", $"XADD a 1 f v; XADD b 1 f v; EXPIREAT b {Future}; COPY a b REPLACE; TTL b"),
        S("MOVE", "XADD a 1 f v; EXPIREAT a 4102444800; MOVE a 1; EXISTS a; MOVE a 1; SELECT 1; XRANGE a - +; EXPIRETIME a; MOVE a 0; SELECT 0; XLEN a"),
        S("MOVE onto existing", "XADD a 1 f v; SELECT 2; XADD a 2 g w; MOVE a 0; SELECT 0; MOVE a 2; XLEN a; SELECT 2; XRANGE a - +"),
        S("MOVE errors", "XADD a 1 f v; MOVE a 0; MOVE a 16; MOVE a -1; MOVE a x; MOVE a 4294967296; MOVE a 1.5; MOVE missing 1; MOVE a; MOVE a 1 2; XLEN a"),
        // MEMORY USAGE: the figure is each server's own layout's
        new DiffCase("MEMORY USAGE", Parse("XADD s 1 f v; MEMORY USAGE s; MEMORY USAGE s SAMPLES 0; MEMORY usage s samples 3"), Comparison: Comparison.Shape, Restore: Reset),
        S("MEMORY USAGE errors", "MEMORY USAGE x; MEMORY USAGE x SAMPLES y; MEMORY USAGE x SAMPLES -1; MEMORY USAGE x FOO; MEMORY USAGE x SAMPLES; MEMORY USAGE; MEMORY FOO; MEMORY HELP x"),

        // OBJECT (IDLETIME's value is compared only where no time has passed: below for the rest)
        S("OBJECT ENCODING REFCOUNT FREQ", "XADD s 1 f v; OBJECT ENCODING s; OBJECT REFCOUNT s; OBJECT FREQ s; OBJECT ENCODING x; OBJECT REFCOUNT x; OBJECT FREQ x; OBJECT IDLETIME x"),
        S("OBJECT errors", "XADD s 1 f v; OBJECT; OBJECT FOO s; OBJECT ENCODING; OBJECT ENCODING s t; OBJECT IDLETIME; OBJECT HELP x; OBJECT encoding s"),
        S("OBJECT HELP", "OBJECT HELP; OBJECT help"),
        S("TOUCH counts as EXISTS", "XADD a 1 f v; XADD b 1 f v; TOUCH a b a missing; TOUCH missing; SELECT 4; TOUCH a"),
        M("MOVE keeps groups and PEL", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s >; MOVE s 5; SELECT 5; XINFO STREAM s FULL; XPENDING s g - + 10"),

        // EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, options
        S("EXPIRE", "XADD k 1 f v; EXPIRE k 100; TTL k; EXPIRE missing 100"),
        S("PEXPIRE TTL", "XADD k 1 f v; PEXPIRE k 100000; TTL k; PEXPIRE missing 100"),
        S("TTL rounding", "XADD a 1 f v; XADD b 1 f v; PEXPIRE a 1800; PEXPIRE b 1200; TTL a; TTL b"),
        M("PTTL", "XADD k 1 f v; PEXPIRE k 100000; PTTL k; PTTL missing; XADD n 1 f v; PTTL n", PttlValue),
        S("EXPIREAT EXPIRETIME", $"XADD k 1 f v; EXPIREAT k {Future}; EXPIRETIME k; PEXPIRETIME k; EXPIREAT missing {Future}"),
        S("PEXPIREAT PEXPIRETIME", $"XADD k 1 f v; PEXPIREAT k {FutureMs}; PEXPIRETIME k; EXPIRETIME k"),
        S("EXPIRETIME none and missing", "XADD k 1 f v; EXPIRETIME k; PEXPIRETIME k; EXPIRETIME x; PEXPIRETIME x; EXPIRETIME; TTL; PTTL"),
        S("EXPIRE past deletes", "XADD a 1 f v; XADD b 1 f v; XADD c 1 f v; XADD d 1 f v; EXPIRE a -1; PEXPIRE b 0; EXPIREAT c 1; PEXPIREAT d 1000; EXISTS a b c d; DBSIZE"),
        S("EXPIRE 0 deletes", "XADD a 1 f v; EXPIRE a 0; EXISTS a"),
        S("EXPIRE NX", "XADD k 1 f v; EXPIRE k 100 NX; EXPIRE k 200 NX; TTL k"),
        S("EXPIRE XX", "XADD k 1 f v; EXPIRE k 100 XX; TTL k; EXPIRE k 100; EXPIRE k 200 XX; TTL k"),
        S("EXPIRE GT", "XADD k 1 f v; EXPIRE k 100 GT; TTL k; EXPIRE k 100; EXPIRE k 50 GT; EXPIRE k 200 GT; TTL k"),
        S("EXPIRE LT", "XADD k 1 f v; EXPIRE k 100 LT; TTL k; EXPIRE k 50 LT; TTL k; EXPIRE k 100 LT; TTL k"),
        S("EXPIRE option combinations", "XADD k 1 f v; EXPIRE k 100 NX XX; EXPIRE k 100 GT LT; EXPIRE k 100 NX GT; EXPIRE k 100 XX GT; EXPIRE k 100 FOO; EXPIRE k 100 nx; TTL k; EXPIRE k 100 xx lt"),
        S("EXPIRE options on missing", "EXPIRE x 100 NX; EXPIRE x 100 XX; EXPIRE x 100 GT; EXPIRE x 100 LT"),
        S("EXPIRE past with options", "XADD k 1 f v; EXPIRE k -1 XX; EXISTS k; EXPIRE k 100; EXPIRE k -1 GT; EXISTS k; EXPIRE k -1 LT; EXISTS k"),
        S("PEXPIREAT options", $"XADD k 1 f v; PEXPIREAT k {FutureMs} NX; PEXPIREAT k 5000000000000 GT; PEXPIRETIME k; PEXPIREAT k 4000000000000 LT; PEXPIRETIME k; EXPIREAT k {Future} XX; EXPIRETIME k"),
        S("EXPIRE errors", "XADD k 1 f v; EXPIRE k; EXPIRE k x; EXPIRE k 1.5; EXPIRE; PEXPIRE k x; EXPIREAT k x; PEXPIREAT k x"),
        S("EXPIRE overflow", "XADD k 1 f v; EXPIRE k 9223372036854775807; EXPIRE k 9223372036854770; PEXPIRE k 9223372036854775807; EXPIREAT k 9223372036854775807; PEXPIREAT k 9223372036854775807; EXPIRE k -9223372036854775808; EXPIRETIME k; PEXPIRETIME k"),
        S("EXPIRE large but valid", "XADD k 1 f v; EXPIRE k 100000000000; TTL k; PEXPIRE k 100000000000000; TTL k"),
        S("PERSIST", "XADD k 1 f v; PERSIST k; EXPIRE k 100; PERSIST k; TTL k; PERSIST x; PERSIST; PERSIST a b"),
        S("TOUCH", "XADD a 1 f v; XADD b 1 f v; TOUCH a c a b; TOUCH c; TOUCH; EXPIRE a 100; TOUCH a; TTL a; SELECT 1; TOUCH a; SELECT 0"),
        S("TTL no expiry and missing", "XADD k 1 f v; TTL k; TTL x; PTTL k; PTTL x"),
        S("XADD keeps expiry", "XADD k 1 f v; EXPIRE k 100; XADD k 2 f v; XTRIM k MAXLEN 1; TTL k"),
        S("DEL clears expiry", "XADD k 1 f v; EXPIRE k 100; DEL k; XADD k 1 f v; TTL k"),
        S("expiry per database", "XADD k 1 f v; EXPIRE k 100; SELECT 1; XADD k 1 f v; TTL k; SELECT 0; TTL k"),
        S("FLUSHALL clears expiry", "XADD k 1 f v; EXPIRE k 100; FLUSHALL; XADD k 1 f v; TTL k"),
    ];

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task OBJECT_IDLETIME_counts_from_the_last_use_of_the_key(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        await using var connection = await server.ConnectAsync();
        var key = $"idle-{Guid.NewGuid():N}";
        await connection.CallAsync("XADD", key, "1-1", "f", "v");
        await connection.CallAsync("XADD", $"{key}-touched", "1-1", "f", "v");
        await Task.Delay(2100);

        // Looking at a key is no use of it (Redis's LOOKUP_NOTOUCH); reading it and TOUCH are.
        foreach (var look in new[] { "EXISTS", "TYPE", "TTL", "PTTL", "EXPIRETIME" })
        {
            await connection.CallAsync(look, key);
        }

        await connection.CallAsync("OBJECT", "ENCODING", key);
        Assert.InRange(await IdleAsync(key), 2, 3);
        await connection.CallAsync("XLEN", key);
        Assert.InRange(await IdleAsync(key), 0, 1);
        Assert.Equal(":1\r\n", Encoding.ASCII.GetString(await connection.CallAsync("TOUCH", $"{key}-touched")));
        Assert.InRange(await IdleAsync($"{key}-touched"), 0, 1);
        await connection.CallAsync("DEL", key, $"{key}-touched");

        async Task<long> IdleAsync(string of) =>
            long.Parse(Encoding.ASCII.GetString(await connection.CallAsync("OBJECT", "IDLETIME", of))[1..^2], System.Globalization.CultureInfo.InvariantCulture);
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task MEMORY_USAGE_grows_with_entries_and_pending_entries(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        await using var connection = await server.ConnectAsync();
        var key = $"memory-{Guid.NewGuid():N}";
        await connection.CallAsync("XADD", key, "1-1", "field", "value");
        var one = await UsageAsync();
        for (var i = 2; i <= 1000; i++)
        {
            await connection.CallAsync("XADD", key, $"{i}-1", "field", $"value {i}");
        }

        var thousand = await UsageAsync();
        Assert.True(thousand > one + (1000 * 10), $"{one} bytes for one entry, {thousand} for a thousand");
        await connection.CallAsync("XGROUP", "CREATE", key, "g", "0");
        await connection.CallAsync("XREADGROUP", "GROUP", "g", "c", "STREAMS", key, ">");
        Assert.True(await UsageAsync() > thousand + (1000 * 10), "a thousand pending entries cost nothing");
        await connection.CallAsync("DEL", key);

        async Task<long> UsageAsync() =>
            long.Parse(Encoding.ASCII.GetString(await connection.CallAsync("MEMORY", "USAGE", key))[1..^2], System.Globalization.CultureInfo.InvariantCulture);
    });

    /// <summary>Arrays of bulk strings (KEYS, SCAN's page) compared as sorted lists.</summary>
    public static string SortedArrays(string rendered) => BulkArray().Replace(rendered, m =>
    {
        var items = Item().Matches(m.Groups[2].Value).Select(i => i.Value).Order(StringComparer.Ordinal);
        return $"{m.Groups[1].Value}[{string.Join(", ", items)}]";
    });

    /// <summary>INFO keyspace's avg_ttl (depends on when it is asked).</summary>
    public static string AvgTtl(string rendered) => AvgTtlField().Replace(rendered, "avg_ttl=…");

    /// <summary>PTTL of a key with an expiry: within a second of the TTL set (100000 when asked in the same millisecond).</summary>
    public static string PttlValue(string rendered) => Pttl().Replace(rendered, ":99…");

    [GeneratedRegex(@"([*~]\d+)\[((?:\$""(?:[^""\\]|\\.)*""(?:, )?)+)\]")]
    private static partial Regex BulkArray();

    [GeneratedRegex(@"\$""(?:[^""\\]|\\.)*""")]
    private static partial Regex Item();

    [GeneratedRegex(@"avg_ttl=\d+")]
    private static partial Regex AvgTtlField();

    [GeneratedRegex(@":(?:99\d\d\d|100000)\b")]
    private static partial Regex Pttl();
}
