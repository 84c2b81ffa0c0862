using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Streams.Script;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>
/// The stream commands, their options, replies and errors (in Redis's order of checks), byte for
/// byte against redis-server 7.0, in RESP2 and after HELLO 3. One line per case; each case runs on
/// a fresh keyspace (FLUSHALL after each). Cases named "M" mask idle and delivery times and
/// radix-tree-nodes (<see cref="StreamMasks.Volatile"/>).
/// </summary>
public sealed class StreamCommandTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string Max = "18446744073709551615";
    private static readonly string Big = new('x', 2000);
    private static readonly string Key255 = new('k', 255);
    private static readonly string Id127 = new string('0', 126) + "1";
    private static readonly string Id128 = new string('0', 127) + "1";

    // 150 small entries (IDs 1-0 … 150-0): two listpack nodes of 100 and 50 in Redis.
    private static readonly string Small150 = Repeat(150, "XADD s {i} f v{i}");

    // 30 entries of 2,000-byte values: a node holds two before crossing 4,096 bytes.
    private static readonly string Big30 = Repeat(30, $"XADD s {{i}} f {Big}");

    // s with entries 1-0 … 5-0, a group g created at 0 and consumer alice holding all five.
    private const string Pel5 = "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XADD s 4 d 4; XADD s 5 e 5; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s >";

    public static readonly DiffCase[] Cases =
    [
        // XADD: IDs
        S("XADD explicit id", "XADD s 1-1 a b; XADD s 1-2 a b; XADD s 2 c d; XRANGE s - +"),
        S("XADD equal id", "XADD s 1-1 a b; XADD s 1-1 a b"),
        S("XADD smaller id", "XADD s 5-0 a b; XADD s 4-9 a b"),
        S("XADD 0-0", "XADD s 0-0 a b"),
        S("XADD 0", "XADD s 0 a b"),
        S("XADD 0-1", "XADD s 0-1 a b; XADD s 0-* a b; XLEN s"),
        S("XADD ms-*", "XADD s 5-* a b; XADD s 5-* a b; XADD s 6-* a b; XADD s 5-* a b"),
        S("XADD 0-* on empty", "XADD s 0-* a b"),

        // XADD: keys are bytes, of any length; each is its own stream, in each database
        S("XADD keys that differ past ASCII", "XADD \"\\xe9\" 1 a b; XADD \"\\xc3\\xa9\" 2 c d; XLEN \"\\xe9\"; XRANGE \"\\xc3\\xa9\" - +; XRANGE \"\\xe9\" - +"),
        S("XADD keys that end alike", "XADD ab 1 a b; XADD b 2 c d; XADD xab 3 e f; XRANGE b - +; XRANGE ab - +; XLEN xab"),
        S("XADD long keys", $"XADD {Key255} 1 a b; XADD {Key255}y 2 c d; XADD {Key255}yy 3 e f; XLEN {Key255}; XRANGE {Key255}y - +; XRANGE {Key255}yy - +; EXISTS {Key255}yyy"),
        S("XADD same key in two databases", "XADD s 1 a b; SELECT 1; XADD s 2 c d; XRANGE s - +; SELECT 0; XRANGE s - +"),
        S("XADD ms-* at uint64 max", $"XADD s {Max}-* a b; XADD s {Max}-* a b; XADD s {Max} a b"),
        S("XADD exhausted", $"XADD s {Max}-{Max} a b; XADD s * a b; XADD s {Max}-* a b"),
        S("XADD ms over uint64", "XADD s 18446744073709551616-1 a b"),
        S("XADD seq over uint64", "XADD s 1-18446744073709551616 a b"),
        S("XADD id leading zero", "XADD s 01-1 a b; XADD s 002 a b; XRANGE s - +"),
        S("XADD id leading space", "XADD s \" 1\" a b"),
        S("XADD id plus sign", "XADD s +1 a b; XADD s 2-+1 a b"),
        S("XADD id minus", "XADD s -05 a b; XADD s 1--1 a b; XADD s - a b; XADD s + a b"),
        S("XADD id trailing dash", "XADD s 1- a b; XADD s -1 a b"),
        S("XADD id garbage", "XADD s abc a b; XADD s 1-a a b; XADD s 1-1-1 a b; XADD s 1.5 a b; XADD s \"\" a b"),
        S("XADD id 127 chars", $"XADD s {Id127} a b; XADD s {Id127}-5 a b"),
        S("XADD id 128 chars", $"XADD s {Id128} a b"),
        S("XADD id *-1", "XADD s *-1 a b; XADD s 1-** a b"),
        M("XADD * is time based", "XADD s * a b; XADD s * c d; XLEN s", StreamMasks.ClockIds),

        // XADD: fields and arity
        S("XADD many fields", "XADD s 1 a 1 b 2 c 3 d 4; XRANGE s - +"),
        S("XADD duplicate fields", "XADD s 1 a 1 a 2; XRANGE s - +"),
        S("XADD binary and empty", "XADD s 1 \"\" \"\" \"\\x00\\xff\\r\\n\" \"\"; XRANGE s - +"),
        S("XADD odd fields", "XADD s 1 a b c"),
        S("XADD no fields", "XADD s 1 a; XADD s 1"),
        S("XADD arity", "XADD s; XADD"),
        S("XADD big field", $"XADD s 1 f {Big}; XRANGE s - +"),
        S("XADD differing field sets", "XADD s 1 a 1 b 2; XADD s 2 a 3 b 4; XADD s 3 b 5 a 6; XADD s 4 c 7; XRANGE s - +; XREVRANGE s + -"),

        // XADD: NOMKSTREAM and trimming options
        S("XADD NOMKSTREAM missing", "XADD s NOMKSTREAM 1 a b; EXISTS s"),
        S("XADD NOMKSTREAM existing", "XADD s 1 a b; XADD s NOMKSTREAM 2 a b; XLEN s"),
        S("XADD nomkstream lower case", "XADD s nomkstream * a b; EXISTS s"),
        S("XADD MAXLEN", "XADD s MAXLEN 2 1 a b; XADD s MAXLEN 2 2 a b; XADD s MAXLEN 2 3 a b; XRANGE s - +"),
        S("XADD MAXLEN =", "XADD s 1 a b; XADD s 2 a b; XADD s MAXLEN = 1 3 a b; XRANGE s - +"),
        S("XADD MAXLEN ~ small", "XADD s 1 a b; XADD s 2 a b; XADD s MAXLEN ~ 1 3 a b; XLEN s"),
        M("XADD MAXLEN 0", "XADD s 1 a b; XADD s MAXLEN 0 2 a b; XLEN s; XINFO STREAM s"),
        S("XADD MAXLEN negative", "XADD s MAXLEN -1 1 a b"),
        S("XADD MAXLEN not integer", "XADD s MAXLEN abc 1 a b; XADD s MAXLEN 1.5 1 a b"),
        S("XADD MAXLEN missing value", "XADD s MAXLEN"),
        S("XADD MAXLEN = missing value", "XADD s MAXLEN = 1 a"),
        S("XADD MINID", "XADD s 1 a b; XADD s 2 a b; XADD s MINID 2 3 a b; XRANGE s - +"),
        S("XADD MINID =", "XADD s 1 a b; XADD s 2 a b; XADD s MINID = 3 3 a b; XRANGE s - +"),
        S("XADD MINID invalid", "XADD s MINID abc 1 a b"),
        S("XADD MINID bigger than new id", "XADD s 1 a b; XADD s MINID 10 2 a b; XLEN s"),
        S("XADD MAXLEN and MINID", "XADD s MAXLEN 1 MINID 1 1 a b"),
        S("XADD LIMIT without ~", "XADD s MAXLEN 1 LIMIT 10 1 a b; XADD s MAXLEN = 1 LIMIT 10 1 a b"),
        S("XADD LIMIT with ~", "XADD s MAXLEN ~ 1 LIMIT 10 1 a b; XLEN s"),
        S("XADD LIMIT negative", "XADD s MAXLEN ~ 1 LIMIT -1 1 a b"),
        S("XADD LIMIT not integer", "XADD s MAXLEN ~ 1 LIMIT x 1 a b"),
        S("XADD LIMIT without MAXLEN", "XADD s LIMIT 10 1 a b"),
        S("XADD LIMIT 0", "XADD s MAXLEN ~ 1 LIMIT 0 1 a b; XLEN s"),
        S("XADD options after id", "XADD s 1 MAXLEN 1 a b; XRANGE s - +"),
        S("XADD NOMKSTREAM after MAXLEN", "XADD s MAXLEN 5 NOMKSTREAM 1 a b; EXISTS s"),
        S("XADD invalid id with trim", "XADD s MAXLEN 1 abc a b"),
        S("XADD MAXLEN huge", "XADD s MAXLEN 9223372036854775807 1 a b; XADD s MAXLEN 9223372036854775808 2 a b"),

        // XLEN
        S("XLEN", "XLEN s; XADD s 1 a b; XADD s 2 a b; XLEN s; XDEL s 1; XLEN s"),
        S("XLEN arity", "XLEN; XLEN a b"),

        // XRANGE / XREVRANGE
        S("XRANGE all", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XRANGE s - +; XREVRANGE s + -"),
        S("XRANGE missing key", "XRANGE s - +; XREVRANGE s + -"),
        S("XRANGE incomplete ids", "XADD s 1-0 a 1; XADD s 1-5 a 2; XADD s 2-0 a 3; XRANGE s 1 1; XREVRANGE s 1 1; XRANGE s 2 +"),
        S("XRANGE COUNT", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XRANGE s - + COUNT 2; XREVRANGE s + - COUNT 2; XRANGE s - + count 5"),
        S("XRANGE COUNT 0", "XADD s 1 a 1; XRANGE s - + COUNT 0; XREVRANGE s + - COUNT 0"),
        S("XRANGE COUNT negative", "XADD s 1 a 1; XRANGE s - + COUNT -1; XREVRANGE s + - COUNT -5"),
        S("XRANGE COUNT errors", "XADD s 1 a 1; XRANGE s - + COUNT; XRANGE s - + COUNT x; XRANGE s - + FOO 1; XRANGE s - + COUNT 1 COUNT 2"),
        S("XRANGE exclusive", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XRANGE s (1 (3; XRANGE s (1-0 +; XREVRANGE s (3 (1"),
        S("XRANGE exclusive at 0-0", "XADD s 0-1 a 1; XRANGE s (0-0 +; XREVRANGE s + (0-0; XRANGE s - (0-0; XREVRANGE s (0-0 -"),
        S("XRANGE exclusive at max", $"XADD s 1 a 1; XRANGE s ({Max}-{Max} +; XRANGE s - ({Max}-{Max}; XREVRANGE s ({Max}-{Max} -; XREVRANGE s + ({Max}-{Max}"),
        S("XRANGE exclusive seq carry", $"XADD s 1-{Max} a 1; XADD s 2-0 b 2; XRANGE s (1-{Max} +; XREVRANGE s (2-0 -"),
        S("XRANGE exclusive special", "XADD s 1 a 1; XRANGE s (- +; XRANGE s - (+; XRANGE s ( +"),
        S("XRANGE invalid ids", "XADD s 1 a 1; XRANGE s abc +; XRANGE s - abc; XRANGE s 01-1 +; XRANGE s \" 1\" +"),
        S("XRANGE start after end", "XADD s 1 a 1; XADD s 2 a 1; XRANGE s 2 1; XREVRANGE s 1 2; XRANGE s + -"),
        S("XRANGE arity", "XRANGE s -; XREVRANGE s +; XRANGE"),
        S("XRANGE after deletes", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XDEL s 2; XRANGE s - +; XREVRANGE s + - COUNT 1"),
        S("XRANGE across nodes", $"{Small150}; XRANGE s 95 105; XREVRANGE s 105 95 COUNT 3; XRANGE s (99 + COUNT 2"),

        // XDEL
        M("XDEL", "XADD s 1 a 1; XADD s 2 b 2; XDEL s 1 1 3; XDEL s 2; XLEN s; EXISTS s; XINFO STREAM s"),
        S("XDEL missing key", "XDEL s 1"),
        S("XDEL invalid id", "XADD s 1 a 1; XDEL s 1 abc; XLEN s; XDEL s -; XDEL s +"),
        S("XDEL arity", "XDEL s; XDEL"),
        S("XDEL incomplete id", "XADD s 1-0 a 1; XADD s 1-1 a 1; XDEL s 1; XRANGE s - +"),
        M("XDEL max deleted id", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XDEL s 3; XDEL s 1; XINFO STREAM s"),

        // XTRIM
        S("XTRIM MAXLEN", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XTRIM s MAXLEN 1; XRANGE s - +"),
        M("XTRIM MAXLEN =", "XADD s 1 a 1; XADD s 2 b 2; XTRIM s MAXLEN = 0; XLEN s; EXISTS s; XINFO STREAM s"),
        S("XTRIM MINID", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XTRIM s MINID 2-1; XRANGE s - +; XTRIM s MINID = 100; XLEN s"),
        S("XTRIM missing key", "XTRIM s MAXLEN 1; EXISTS s"),
        S("XTRIM errors", "XADD s 1 a 1; XTRIM s; XTRIM s MAXLEN; XTRIM s FOO 1; XTRIM s MAXLEN -1; XTRIM s MINID x; XTRIM s MAXLEN 1 LIMIT 10; XTRIM s MAXLEN 1 MINID 1; XTRIM s MAXLEN 1 extra"),
        S("XTRIM ~ keeps partial node", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XTRIM s MAXLEN ~ 1; XLEN s"),
        M("XTRIM ~ across nodes", $"{Small150}; XTRIM s MAXLEN ~ 60; XLEN s; XRANGE s - + COUNT 1; XINFO STREAM s"),
        M("XTRIM ~ keeps node with threshold", $"{Small150}; XTRIM s MAXLEN ~ 120; XLEN s; XTRIM s MAXLEN ~ 40; XLEN s; XTRIM s MAXLEN 40; XLEN s"),
        S("XTRIM ~ LIMIT", $"{Small150}; XTRIM s MAXLEN ~ 0 LIMIT 99; XLEN s; XTRIM s MAXLEN ~ 0 LIMIT 100; XLEN s; XTRIM s MAXLEN ~ 0 LIMIT 0; XLEN s"),
        S("XTRIM ~ MINID across nodes", $"{Small150}; XTRIM s MINID ~ 120; XLEN s; XRANGE s - + COUNT 1; XTRIM s MINID ~ 151; XLEN s"),
        M("XTRIM ~ big entries", $"{Big30}; XINFO STREAM s; XTRIM s MAXLEN ~ 7; XLEN s; XRANGE s - + COUNT 1; XINFO STREAM s"),
        M("XTRIM ~ big entries MINID", $"{Big30}; XTRIM s MINID ~ 10; XLEN s; XTRIM s MINID ~ 12 LIMIT 1; XLEN s"),
        M("XTRIM = after XDEL", $"{Small150}; XDEL s 1 2 3 50; XTRIM s MAXLEN 100; XLEN s; XRANGE s - + COUNT 2; XINFO STREAM s"),
        M("XADD ~ trims whole nodes", $"{Small150}; XADD s MAXLEN ~ 100 151 f v; XLEN s; XADD s MAXLEN ~ 10 152 f v; XLEN s; XINFO STREAM s"),
        M("XADD ~ big entries", $"{Big30}; XADD s MAXLEN ~ 5 31 f v; XLEN s; XRANGE s - + COUNT 1; XINFO STREAM s"),
        M("radix-tree-keys", $"{Small150}; XINFO STREAM s; {Repeat(60, "XADD s {i}-1 f v", 200)}; XINFO STREAM s"),
        M("radix-tree-keys big", $"{Big30}; XINFO STREAM s; XDEL s 1 2; XINFO STREAM s"),
        S("XTRIM lower case options", "XADD s 1 a 1; XADD s 2 b 2; XTRIM s maxlen = 1; XTRIM s minid ~ 2 limit 5; XLEN s"),

        // XSETID
        M("XSETID", "XADD s 1 a 1; XSETID s 5-0; XINFO STREAM s; XADD s 5 a b; XADD s * a b", StreamMasks.VolatileAndTimeIds),
        S("XSETID smaller than top", "XADD s 5 a 1; XSETID s 4"),
        S("XSETID equal to top", "XADD s 5 a 1; XSETID s 5-0; XSETID s 5"),
        S("XSETID missing key", "XSETID s 1"),
        M("XSETID ENTRIESADDED MAXDELETEDID", "XADD s 1 a 1; XADD s 2 a 1; XSETID s 10 ENTRIESADDED 50 MAXDELETEDID 7; XINFO STREAM s"),
        S("XSETID ENTRIESADDED too small", "XADD s 1 a 1; XADD s 2 a 1; XSETID s 10 ENTRIESADDED 1"),
        S("XSETID ENTRIESADDED negative", "XADD s 1 a 1; XSETID s 10 ENTRIESADDED -1"),
        S("XSETID MAXDELETEDID greater", "XADD s 1 a 1; XSETID s 10 ENTRIESADDED 5 MAXDELETEDID 11"),
        S("XSETID syntax", "XADD s 1 a 1; XSETID s 10 FOO 1; XSETID s 10 ENTRIESADDED; XSETID s 10 MAXDELETEDID x; XSETID s abc; XSETID s; XSETID"),
        M("XSETID on empty stream", "XADD s 1 a 1; XDEL s 1; XSETID s 0-0; XSETID s 0-1; XINFO STREAM s"),
        S("XSETID then XADD ms-*", "XADD s 1 a 1; XSETID s 10-5; XADD s 10-* a b; XADD s 9-* a b"),
        S("XSETID max", $"XADD s 1 a 1; XSETID s {Max}-{Max}; XADD s * a b"),

        // XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER / HELP
        S("XGROUP CREATE", "XADD s 1 a 1; XGROUP CREATE s g $; XGROUP CREATE s h 0; XGROUP CREATE s i 1-0; XINFO GROUPS s"),
        S("XGROUP CREATE exists", "XADD s 1 a 1; XGROUP CREATE s g $; XGROUP CREATE s g 0"),
        S("XGROUP CREATE missing key", "XGROUP CREATE s g $"),
        M("XGROUP CREATE MKSTREAM", "XGROUP CREATE s g $ MKSTREAM; XLEN s; XINFO STREAM s; XGROUP CREATE s h 0 MKSTREAM"),
        S("XGROUP CREATE ENTRIESREAD", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 1 ENTRIESREAD 1; XGROUP CREATE s h 0 ENTRIESREAD 5; XINFO GROUPS s"),
        S("XGROUP CREATE ENTRIESREAD errors", "XADD s 1 a 1; XGROUP CREATE s g 0 ENTRIESREAD -2; XGROUP CREATE s g 0 ENTRIESREAD x; XGROUP CREATE s g 0 ENTRIESREAD; XGROUP CREATE s g 0 FOO"),
        S("XGROUP CREATE ENTRIESREAD -1", "XADD s 1 a 1; XGROUP CREATE s g 0 ENTRIESREAD -1; XINFO GROUPS s"),
        S("XGROUP CREATE invalid id", "XADD s 1 a 1; XGROUP CREATE s g abc; XGROUP CREATE s g -; XGROUP CREATE s g +"),
        S("XGROUP CREATE arity", "XGROUP CREATE s g; XGROUP CREATE s; XGROUP"),
        S("XGROUP CREATE MKSTREAM and ENTRIESREAD", "XGROUP CREATE s g $ MKSTREAM ENTRIESREAD 0; XINFO GROUPS s"),
        S("XGROUP SETID", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g $; XGROUP SETID s g 0; XINFO GROUPS s; XGROUP SETID s g 1 ENTRIESREAD 1; XINFO GROUPS s; XGROUP SETID s g $; XINFO GROUPS s"),
        S("XGROUP SETID order of checks", "XGROUP SETID s g abc; XADD s 1 a 1; XGROUP SETID s g abc; XGROUP CREATE s g 0; XGROUP SETID s g abc; XGROUP SETID s g 0 ENTRIESREAD x; XGROUP SETID s g 0 FOO 1"),
        S("XGROUP DESTROY", "XADD s 1 a 1; XGROUP CREATE s g 0; XGROUP DESTROY s g; XGROUP DESTROY s g; XINFO GROUPS s; XGROUP DESTROY x g"),
        S("XGROUP CREATECONSUMER", "XADD s 1 a 1; XGROUP CREATE s g 0; XGROUP CREATECONSUMER s g alice; XGROUP CREATECONSUMER s g alice; XGROUP CREATECONSUMER s nog alice; XGROUP CREATECONSUMER x g alice"),
        M("XGROUP CREATECONSUMER listed", "XADD s 1 a 1; XGROUP CREATE s g 0; XGROUP CREATECONSUMER s g bob; XGROUP CREATECONSUMER s g alice; XINFO CONSUMERS s g; XINFO GROUPS s"),
        S("XGROUP DELCONSUMER", $"{Pel5}; XGROUP DELCONSUMER s g alice; XGROUP DELCONSUMER s g alice; XPENDING s g; XGROUP DELCONSUMER s nog alice; XGROUP DELCONSUMER x g alice"),
        S("XGROUP arity", "XGROUP CREATECONSUMER s g; XGROUP DELCONSUMER s g; XGROUP DESTROY s; XGROUP SETID s g; XGROUP CREATE s g 0 MKSTREAM extra"),
        S("XGROUP unknown subcommand", "XGROUP FOO; XGROUP FOO s g"),
        S("XGROUP HELP", "XGROUP HELP; XGROUP help"),
        S("XGROUP HELP arity", "XGROUP HELP extra"),

        // XREADGROUP
        S("XREADGROUP >", "XADD s 1 a 1; XADD s 2 b 2; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s >; XREADGROUP GROUP g alice STREAMS s >"),
        S("XREADGROUP COUNT", "XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT 2 STREAMS s >; XREADGROUP GROUP g bob COUNT 2 STREAMS s >"),
        S("XREADGROUP COUNT 0", "XADD s 1 a 1; XADD s 2 b 2; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT 0 STREAMS s >; XPENDING s g"),
        S("XREADGROUP COUNT negative", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT -1 STREAMS s >"),
        S("XREADGROUP history", $"{Pel5}; XREADGROUP GROUP g alice STREAMS s 0; XREADGROUP GROUP g alice COUNT 2 STREAMS s 2; XREADGROUP GROUP g bob STREAMS s 0"),
        M("XREADGROUP history of deleted", $"{Pel5}; XDEL s 2 4; XREADGROUP GROUP g alice STREAMS s 0; XPENDING s g - + 10"),
        S("XREADGROUP history after trim", $"{Pel5}; XTRIM s MAXLEN 1; XREADGROUP GROUP g alice STREAMS s 0-0; XREADGROUP GROUP g alice COUNT 2 STREAMS s 0"),
        S("XREADGROUP NOACK", "XADD s 1 a 1; XADD s 2 b 2; XGROUP CREATE s g 0; XREADGROUP GROUP g alice NOACK STREAMS s >; XPENDING s g; XINFO GROUPS s"),
        S("XREADGROUP NOACK history", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s >; XREADGROUP GROUP g alice NOACK STREAMS s 0"),
        S("XREADGROUP missing group", "XADD s 1 a 1; XREADGROUP GROUP nog alice STREAMS s >"),
        S("XREADGROUP missing key", "XREADGROUP GROUP g alice STREAMS s >"),
        S("XREADGROUP several streams", "XADD s 1 a 1; XADD t 2 b 2; XGROUP CREATE s g 0; XGROUP CREATE t g 0; XREADGROUP GROUP g alice STREAMS s t > >; XREADGROUP GROUP g alice STREAMS s t 0 >"),
        S("XREADGROUP several streams one missing group", "XADD s 1 a 1; XADD t 2 b 2; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s t > >; XPENDING s g"),
        S("XREADGROUP $", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s $"),
        S("XREADGROUP syntax", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s; XREADGROUP GROUP g STREAMS s >; XREADGROUP STREAMS s >; XREADGROUP GROUP g alice s >; XREADGROUP GROUP g alice COUNT x STREAMS s >; XREADGROUP GROUP g alice BLOCK x STREAMS s >; XREADGROUP GROUP g alice BLOCK -1 STREAMS s >; XREADGROUP GROUP g alice STREAMS s abc"),
        S("XREADGROUP unbalanced", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s t >"),
        S("XREADGROUP nothing new", "XADD s 1 a 1; XGROUP CREATE s g $; XREADGROUP GROUP g alice STREAMS s >; XREADGROUP GROUP g alice COUNT 1 STREAMS s 0"),
        S("XREADGROUP creates consumer", "XADD s 1 a 1; XGROUP CREATE s g $; XREADGROUP GROUP g alice STREAMS s >; XINFO GROUPS s; XGROUP DELCONSUMER s g alice"),
        S("XREADGROUP history incomplete id", $"{Pel5}; XREADGROUP GROUP g alice STREAMS s 3; XREADGROUP GROUP g alice STREAMS s 3-0"),
        S("XREADGROUP other consumer's history", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT 1 STREAMS s >; XREADGROUP GROUP g bob STREAMS s >; XREADGROUP GROUP g alice STREAMS s 0; XREADGROUP GROUP g bob STREAMS s 0"),
        S("XREADGROUP with BLOCK and data", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice BLOCK 1000 STREAMS s >; XREADGROUP GROUP g alice BLOCK 0 STREAMS s 0"),
        S("XREADGROUP lower case", "XADD s 1 a 1; XGROUP CREATE s g 0; xreadgroup group g alice count 1 streams s >"),

        // XREAD (non-blocking)
        S("XREAD", "XADD s 1 a 1; XADD s 2 b 2; XREAD STREAMS s 0; XREAD COUNT 1 STREAMS s 1; XREAD STREAMS s 2"),
        S("XREAD several streams", "XADD s 1 a 1; XADD t 2 b 2; XREAD STREAMS s t u 0 0 0; XREAD COUNT 1 STREAMS s t 0 1"),
        S("XREAD missing key", "XREAD STREAMS s 0"),
        S("XREAD $ non-blocking", "XADD s 1 a 1; XREAD STREAMS s $"),
        S("XREAD > error", "XADD s 1 a 1; XREAD STREAMS s >"),
        S("XREAD COUNT 0 and negative", "XADD s 1 a 1; XADD s 2 a 1; XREAD COUNT 0 STREAMS s 0; XREAD COUNT -3 STREAMS s 0"),
        S("XREAD syntax", "XREAD; XREAD STREAMS; XREAD STREAMS s; XREAD STREAMS s t 0; XREAD COUNT STREAMS s 0; XREAD FOO STREAMS s 0; XREAD STREAMS s abc; XREAD BLOCK abc STREAMS s 0; XREAD BLOCK -5 STREAMS s 0"),
        S("XREAD GROUP option", "XREAD GROUP g c STREAMS s 0; XREAD NOACK STREAMS s 0"),
        S("XREAD incomplete and max id", $"XADD s 1-5 a 1; XADD s 2 b 2; XREAD STREAMS s 1; XREAD STREAMS s {Max}-{Max}; XREAD STREAMS s 0-0"),

        // XACK
        S("XACK", $"{Pel5}; XACK s g 1 2 2 9; XPENDING s g; XACK s g 1"),
        S("XACK missing group with bad id", "XADD s 1 a 1; XACK s nog abc; XACK nokey g abc"),
        S("XACK bad id", "XADD s 1 a 1; XGROUP CREATE s g 0; XACK s g abc; XACK s g 1 abc"),
        S("XACK arity", "XACK s g; XACK s"),
        S("XACK incomplete id", $"{Pel5}; XACK s g 3; XPENDING s g"),

        // XPENDING
        S("XPENDING summary", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice COUNT 2 STREAMS s >; XREADGROUP GROUP g bob STREAMS s >; XPENDING s g"),
        S("XPENDING summary empty", "XADD s 1 a 1; XGROUP CREATE s g 0; XPENDING s g"),
        S("XPENDING missing", "XPENDING s g; XADD s 1 a 1; XPENDING s g; XPENDING s g - + 10"),
        M("XPENDING extended", $"{Pel5}; XPENDING s g - + 10; XPENDING s g - + 2; XPENDING s g 2 4 10; XPENDING s g (2 (4 10; XPENDING s g - + 10 alice; XPENDING s g - + 10 bob"),
        M("XPENDING extended COUNT 0 and negative", $"{Pel5}; XPENDING s g - + 0; XPENDING s g - + -1"),
        M("XPENDING IDLE", $"{Pel5}; XPENDING s g IDLE 0 - + 10; XPENDING s g IDLE 1000000 - + 10; XPENDING s g IDLE 0 - + 10 alice"),
        M("XPENDING errors", $"{Pel5}; XPENDING s g -; XPENDING s g - +; XPENDING s g - + x; XPENDING s g abc + 10; XPENDING s g IDLE x - + 10; XPENDING s g IDLE 10; XPENDING s g - + 10 alice extra; XPENDING s; XPENDING s g IDLE -1 - + 10"),
        S("XPENDING exclusive bounds", $"{Pel5}; XPENDING s g ({Max}-{Max} + 10; XPENDING s g - (0-0 10"),
        M("XPENDING deliveries count", "XADD s 1 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g alice STREAMS s >; XREADGROUP GROUP g alice STREAMS s 0; XREADGROUP GROUP g alice STREAMS s 0; XPENDING s g - + 10"),

        // XCLAIM
        M("XCLAIM", $"{Pel5}; XCLAIM s g bob 0 1 2; XPENDING s g - + 10; XPENDING s g"),
        M("XCLAIM JUSTID", $"{Pel5}; XCLAIM s g bob 0 1 3 JUSTID; XPENDING s g - + 10"),
        M("XCLAIM min idle not reached", $"{Pel5}; XCLAIM s g bob 1000000 1 2; XPENDING s g - + 10"),
        M("XCLAIM not pending", $"{Pel5}; XACK s g 1; XCLAIM s g bob 0 1 9; XPENDING s g - + 10"),
        M("XCLAIM FORCE", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 0; XCLAIM s g bob 0 1 FORCE; XCLAIM s g bob 0 9 FORCE; XPENDING s g - + 10"),
        M("XCLAIM RETRYCOUNT", $"{Pel5}; XCLAIM s g bob 0 1 RETRYCOUNT 7; XCLAIM s g bob 0 2 JUSTID RETRYCOUNT 7; XPENDING s g - + 10"),
        M("XCLAIM IDLE and TIME", $"{Pel5}; XCLAIM s g bob 0 1 IDLE 5000000 JUSTID; XCLAIM s g bob 0 2 TIME 1000 JUSTID; XPENDING s g IDLE 4000000 - + 10"),
        M("XCLAIM LASTID", $"{Pel5}; XCLAIM s g bob 0 1 LASTID 9; XINFO GROUPS s; XCLAIM s g bob 0 1 LASTID 3; XINFO GROUPS s"),
        M("XCLAIM deleted entry", $"{Pel5}; XDEL s 2; XCLAIM s g bob 0 1 2 3; XPENDING s g - + 10; XPENDING s g"),
        M("XCLAIM deleted entry JUSTID", $"{Pel5}; XDEL s 2; XCLAIM s g bob 0 2 JUSTID; XPENDING s g - + 10"),
        S("XCLAIM group checked first", "XADD s 1 a 1; XCLAIM s nog bob abc def; XCLAIM nokey g bob abc def"),
        S("XCLAIM errors", $"{Pel5}; XCLAIM s g bob abc 1; XCLAIM s g bob -1 1; XCLAIM s g bob 0 abc; XCLAIM s g bob 0 1 IDLE; XCLAIM s g bob 0 1 IDLE x; XCLAIM s g bob 0 1 TIME x; XCLAIM s g bob 0 1 RETRYCOUNT x; XCLAIM s g bob 0 1 RETRYCOUNT -1; XCLAIM s g bob 0 1 LASTID x; XCLAIM s g bob 0 1 FOO; XCLAIM s g bob 0; XCLAIM s g bob"),
        M("XCLAIM ids then options", $"{Pel5}; XCLAIM s g bob 0 1 2 JUSTID 3; XPENDING s g - + 10"),
        M("XCLAIM same consumer", $"{Pel5}; XCLAIM s g alice 0 1; XPENDING s g - + 10"),
        M("XCLAIM creates consumer", $"{Pel5}; XCLAIM s g carol 1000000 1; XINFO CONSUMERS s g; XCLAIM s g dave 0 1; XINFO CONSUMERS s g"),
        M("XCLAIM negative IDLE", $"{Pel5}; XCLAIM s g bob 0 1 IDLE -5 JUSTID; XCLAIM s g bob 0 2 TIME -5 JUSTID; XPENDING s g - + 10"),

        // XAUTOCLAIM
        M("XAUTOCLAIM", $"{Pel5}; XAUTOCLAIM s g bob 0 0; XPENDING s g - + 10"),
        M("XAUTOCLAIM COUNT and cursor", $"{Pel5}; XAUTOCLAIM s g bob 0 0 COUNT 2; XAUTOCLAIM s g bob 0 3 COUNT 2; XAUTOCLAIM s g bob 0 5 COUNT 2; XAUTOCLAIM s g bob 0 (3 COUNT 1"),
        M("XAUTOCLAIM JUSTID", $"{Pel5}; XAUTOCLAIM s g bob 0 - COUNT 3 JUSTID; XPENDING s g - + 10"),
        M("XAUTOCLAIM deleted ids", $"{Pel5}; XDEL s 2 3; XAUTOCLAIM s g bob 0 0; XPENDING s g - + 10; XPENDING s g"),
        M("XAUTOCLAIM deleted ids JUSTID", $"{Pel5}; XDEL s 1 5; XAUTOCLAIM s g bob 0 0 JUSTID; XPENDING s g"),
        M("XAUTOCLAIM deleted count toward COUNT", $"{Pel5}; XDEL s 1 2; XAUTOCLAIM s g bob 0 0 COUNT 3; XAUTOCLAIM s g bob 0 0 COUNT 1"),
        M("XAUTOCLAIM min idle", $"{Pel5}; XAUTOCLAIM s g bob 1000000 0; XINFO CONSUMERS s g"),
        S("XAUTOCLAIM errors", $"{Pel5}; XAUTOCLAIM s g bob 0 0 COUNT 0; XAUTOCLAIM s g bob 0 0 COUNT -1; XAUTOCLAIM s g bob 0 0 COUNT x; XAUTOCLAIM s g bob 0 0 COUNT 1000000000; XAUTOCLAIM s g bob x 0; XAUTOCLAIM s g bob -1 0; XAUTOCLAIM s g bob 0 abc; XAUTOCLAIM s g bob 0 0 FOO; XAUTOCLAIM s g bob 0; XAUTOCLAIM s nog bob 0 0; XAUTOCLAIM nokey g bob 0 0"),
        S("XAUTOCLAIM group before args", "XADD s 1 a 1; XAUTOCLAIM s nog bob x y; XAUTOCLAIM nokey g bob x y"),
        M("XAUTOCLAIM exclusive start", $"{Pel5}; XAUTOCLAIM s g bob 0 (2 COUNT 2; XAUTOCLAIM s g bob 0 ({Max}-{Max}"),
        M("XAUTOCLAIM nothing pending", "XADD s 1 a 1; XGROUP CREATE s g 0; XAUTOCLAIM s g bob 0 0; XINFO CONSUMERS s g"),

        // XINFO
        M("XINFO STREAM", "XADD s 1 a 1; XADD s 2 b 2; XGROUP CREATE s g 0; XINFO STREAM s"),
        M("XINFO STREAM empty", "XGROUP CREATE s g $ MKSTREAM; XINFO STREAM s"),
        S("XINFO STREAM missing", "XINFO STREAM s; XINFO GROUPS s; XINFO CONSUMERS s g"),
        M("XINFO STREAM FULL", $"{Pel5}; XREADGROUP GROUP g bob STREAMS s 0; XGROUP CREATE s h 3; XREADGROUP GROUP h carol COUNT 1 STREAMS s >; XINFO STREAM s FULL"),
        M("XINFO STREAM FULL COUNT", $"{Pel5}; XINFO STREAM s FULL COUNT 2; XINFO STREAM s FULL COUNT 0; XINFO STREAM s full count 1"),
        M("XINFO STREAM FULL empty", "XGROUP CREATE s g $ MKSTREAM; XGROUP CREATECONSUMER s g c; XINFO STREAM s FULL"),
        S("XINFO STREAM errors", "XADD s 1 a 1; XINFO STREAM s FOO; XINFO STREAM s FULL COUNT; XINFO STREAM s FULL COUNT x; XINFO STREAM s FULL COUNT -1; XINFO STREAM s FULL FOO 1; XINFO STREAM"),
        S("XINFO GROUPS", $"{Pel5}; XGROUP CREATE s h $; XGROUP CREATE s i 2; XINFO GROUPS s"),
        M("XINFO CONSUMERS", $"{Pel5}; XREADGROUP GROUP g bob STREAMS s 0; XGROUP CREATECONSUMER s g carol; XINFO CONSUMERS s g; XINFO CONSUMERS s nog"),
        S("XINFO HELP", "XINFO HELP; XINFO help"),
        S("XINFO errors", "XINFO; XINFO FOO; XINFO FOO s; XINFO GROUPS; XINFO CONSUMERS s; XINFO HELP extra; XINFO GROUPS s extra"),

        // Lag and entries-read
        S("lag fresh group", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g 0; XGROUP CREATE s h $; XINFO GROUPS s"),
        S("lag after reads", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g c COUNT 1 STREAMS s >; XINFO GROUPS s; XREADGROUP GROUP g c STREAMS s >; XINFO GROUPS s"),
        S("lag after XDEL", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XADD s 4 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g c COUNT 1 STREAMS s >; XDEL s 3; XINFO GROUPS s; XDEL s 1; XINFO GROUPS s; XREADGROUP GROUP g c STREAMS s >; XINFO GROUPS s"),
        S("lag after XDEL of last", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 0; XDEL s 2; XINFO GROUPS s; XREADGROUP GROUP g c STREAMS s >; XINFO GROUPS s"),
        S("lag after XDEL before group's id", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g c COUNT 2 STREAMS s >; XDEL s 1; XINFO GROUPS s"),
        S("lag after XSETID", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 0; XSETID s 10 ENTRIESADDED 10 MAXDELETEDID 5; XINFO GROUPS s; XREADGROUP GROUP g c STREAMS s >; XINFO GROUPS s"),
        S("lag after XGROUP SETID", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g $; XGROUP SETID s g 1; XINFO GROUPS s; XGROUP SETID s g 1 ENTRIESREAD 1; XINFO GROUPS s; XGROUP SETID s g 0; XINFO GROUPS s; XGROUP SETID s g 5; XINFO GROUPS s"),
        S("lag after trim", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g 0; XTRIM s MAXLEN 1; XINFO GROUPS s; XREADGROUP GROUP g c STREAMS s >; XINFO GROUPS s"),
        S("lag group at first entry", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 1; XINFO GROUPS s; XDEL s 1; XGROUP CREATE s h 1; XINFO GROUPS s"),
        S("lag empty stream", "XADD s 1 a 1; XDEL s 1; XGROUP CREATE s g 0; XINFO GROUPS s; XADD s 2 a 1; XINFO GROUPS s"),
        S("lag ENTRIESREAD beyond", "XADD s 1 a 1; XADD s 2 a 1; XGROUP CREATE s g 0 ENTRIESREAD 100; XINFO GROUPS s"),
        M("XINFO STREAM entries-read", "XADD s 1 a 1; XADD s 2 a 1; XADD s 3 a 1; XGROUP CREATE s g 0; XREADGROUP GROUP g c COUNT 2 STREAMS s >; XDEL s 2; XINFO STREAM s"),

        // PEL after SETID, reassignment and deletes
        M("PEL kept across SETID", $"{Pel5}; XGROUP SETID s g 0; XREADGROUP GROUP g bob COUNT 2 STREAMS s >; XPENDING s g - + 10; XINFO CONSUMERS s g"),
        M("PEL reassigned by XREADGROUP after SETID", $"{Pel5}; XGROUP SETID s g 2; XREADGROUP GROUP g bob STREAMS s >; XPENDING s g - + 10; XPENDING s g; XREADGROUP GROUP g alice STREAMS s 0"),
        M("PEL after DELCONSUMER", $"{Pel5}; XREADGROUP GROUP g bob STREAMS s 0; XGROUP DELCONSUMER s g alice; XPENDING s g; XACK s g 1; XPENDING s g"),
        M("PEL history after XDEL and ACK", $"{Pel5}; XDEL s 3; XACK s g 2; XREADGROUP GROUP g alice STREAMS s 0; XINFO STREAM s FULL"),
        M("XDEL keeps PEL", $"{Pel5}; XDEL s 1 2 3 4 5; XPENDING s g - + 10; XINFO STREAM s FULL"),
        S("DEL removes groups", $"{Pel5}; DEL s; XADD s 1 a 1; XINFO GROUPS s; XPENDING s g"),
    ];

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);
}
