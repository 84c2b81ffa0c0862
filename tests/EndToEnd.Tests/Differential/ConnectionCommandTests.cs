using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Differential.DiffCase;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>
/// The connection and server commands, their replies and their errors, byte for byte against
/// redis-server 7.0, in RESP2 and after HELLO 3. One line per case; a case without a comparison
/// named is compared byte for byte.
/// </summary>
public sealed class ConnectionCommandTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    public static readonly DiffCase[] Cases =
    [
        // PING, ECHO
        Same("PING inline", "PING\r\n"),
        Same("PING multibulk", C("PING")),
        Same("ping lower case", C("ping")),
        Same("PING message", C("PING", "hello world")),
        Same("PING empty message", C("PING", "")),
        Same("PING arity", C("PING", "a", "b")),
        Same("ECHO", C("ECHO", "hello")),
        Same("ECHO empty", C("ECHO", "")),
        Same("ECHO binary", C("ECHO", "\0\xff\r\n\x01")),
        Same("ECHO arity none", C("ECHO")),
        Same("ECHO arity two", C("ECHO", "a", "b")),

        // Unknown commands
        Same("unknown command", C("NOSUCH")),
        Same("unknown command with args", C("NOSUCH", "a", "b c")),
        Same("unknown command inline", "nosuch  x   y\r\n"),
        Same("unknown command long args truncated", C("NOSUCH", new string('a', 100), new string('b', 100), "c")),
        Same("unknown command long name truncated", C(new string('n', 300))),
        Same("unknown command with NUL", C("NO\0SUCH", "x\0y")),
        Same("unknown command empty name", "*1\r\n$0\r\n\r\n"),
        Same("unknown command empty args", C("NOSUCH", "", "")),

        // SELECT
        Same("SELECT 0", C("SELECT", "0")),
        Same("SELECT 15", C("SELECT", "15")),
        Same("SELECT 16 out of range", C("SELECT", "16")),
        Same("SELECT -1 out of range", C("SELECT", "-1")),
        Same("SELECT not integer", C("SELECT", "abc")),
        Same("SELECT leading zero", C("SELECT", "01")),
        Same("SELECT plus sign", C("SELECT", "+1")),
        Same("SELECT fraction", C("SELECT", "1.5")),
        Same("SELECT overflow", C("SELECT", "99999999999999999999")),
        Same("SELECT beyond int", C("SELECT", "4294967296")),
        Same("SELECT arity none", C("SELECT")),
        Same("SELECT arity two", C("SELECT", "1", "2")),
        Masked("SELECT shows in CLIENT INFO", C("SELECT", "7") + C("CLIENT", "INFO"), Masks.ClientFields),

        // AUTH without a password configured
        Same("AUTH without password configured", C("AUTH", "pw")),
        Same("AUTH default user nopass", C("AUTH", "default", "anything")),
        Same("AUTH unknown user", C("AUTH", "nosuchuser", "pw")),
        Same("AUTH arity none", C("AUTH")),
        Same("AUTH too many", C("AUTH", "a", "b", "c")),

        // HELLO
        Masked("HELLO", C("HELLO"), Masks.HelloId),
        Masked("HELLO 2", C("HELLO", "2"), Masks.HelloId),
        Masked("HELLO 3", C("HELLO", "3"), Masks.HelloId),
        Masked("HELLO 3 then HELLO 2", C("HELLO", "3") + C("HELLO", "2"), Masks.HelloId),
        Same("HELLO 4 unsupported", C("HELLO", "4")),
        Same("HELLO 1 unsupported", C("HELLO", "1")),
        Same("HELLO 0 unsupported", C("HELLO", "0")),
        Same("HELLO not integer", C("HELLO", "abc")),
        Same("HELLO -1", C("HELLO", "-1")),
        Same("HELLO overflow", C("HELLO", "99999999999999999999")),
        Same("HELLO bad option", C("HELLO", "3", "FOO")),
        Same("HELLO bad option with value", C("HELLO", "3", "FOO", "bar")),
        Same("HELLO AUTH missing password", C("HELLO", "3", "AUTH", "default")),
        Same("HELLO AUTH missing both", C("HELLO", "3", "AUTH")),
        Masked("HELLO AUTH default nopass", C("HELLO", "3", "AUTH", "default", "anything"), Masks.HelloId),
        Same("HELLO AUTH unknown user", C("HELLO", "3", "AUTH", "nosuchuser", "pw")),
        Same("HELLO SETNAME missing name", C("HELLO", "3", "SETNAME")),
        Same("HELLO SETNAME invalid", C("HELLO", "3", "SETNAME", "a b")),
        Same("HELLO 4 with SETNAME sets nothing", C("HELLO", "4", "SETNAME", "x") + C("CLIENT", "GETNAME")),
        Masked("HELLO SETNAME then GETNAME", C("HELLO", "3", "SETNAME", "myname") + C("CLIENT", "GETNAME"), Masks.HelloId),
        Masked("HELLO 2 AUTH and SETNAME", C("HELLO", "2", "AUTH", "default", "x", "SETNAME", "n1") + C("CLIENT", "GETNAME"), Masks.HelloId),
        Same("HELLO invalid SETNAME keeps the protocol", C("HELLO", "3", "SETNAME", "a b") + C("CLIENT", "GETNAME")),
        Same("HELLO lower case options", C("hello", "3", "setname")),

        // CLIENT
        Shape("CLIENT ID", C("CLIENT", "ID")),
        Same("CLIENT ID arity", C("CLIENT", "ID", "x")),
        Same("CLIENT GETNAME unset", C("CLIENT", "GETNAME")),
        Same("CLIENT GETNAME arity", C("CLIENT", "GETNAME", "x")),
        Same("CLIENT SETNAME then GETNAME", C("CLIENT", "SETNAME", "worker-1") + C("CLIENT", "GETNAME")),
        Same("CLIENT SETNAME empty clears", C("CLIENT", "SETNAME", "x") + C("CLIENT", "SETNAME", "") + C("CLIENT", "GETNAME")),
        Same("CLIENT SETNAME space", C("CLIENT", "SETNAME", "a b")),
        Same("CLIENT SETNAME newline", C("CLIENT", "SETNAME", "a\nb")),
        Same("CLIENT SETNAME control", C("CLIENT", "SETNAME", "a\x01")),
        Same("CLIENT SETNAME non-ASCII", C("CLIENT", "SETNAME", "caf\xc3\xa9")),
        Same("CLIENT SETNAME DEL", C("CLIENT", "SETNAME", "a\x7f")),
        Same("CLIENT SETNAME punctuation", C("CLIENT", "SETNAME", "!~{}[]:;'\"") + C("CLIENT", "GETNAME")),
        Same("CLIENT SETNAME arity", C("CLIENT", "SETNAME")),
        Same("CLIENT SETNAME too many", C("CLIENT", "SETNAME", "a", "b")),
        Same("CLIENT SETNAME invalid keeps the old name", C("CLIENT", "SETNAME", "old") + C("CLIENT", "SETNAME", "a b") + C("CLIENT", "GETNAME")),
        Masked("CLIENT INFO", C("CLIENT", "INFO"), Masks.ClientFields),
        Masked("CLIENT INFO with name", C("CLIENT", "SETNAME", "named") + C("CLIENT", "INFO"), Masks.ClientFields),
        Same("CLIENT INFO arity", C("CLIENT", "INFO", "x")),
        Masked("CLIENT LIST ID self", C("CLIENT", "LIST", "ID", "{id}"), Masks.ClientFields),
        Masked("CLIENT LIST ID self twice", C("CLIENT", "LIST", "ID", "{id}", "{id}"), Masks.ClientFields),
        Same("CLIENT LIST ID unknown", C("CLIENT", "LIST", "ID", "999999999")),
        Same("CLIENT LIST ID invalid", C("CLIENT", "LIST", "ID", "abc")),
        Same("CLIENT LIST ID zero", C("CLIENT", "LIST", "ID", "0")),
        Same("CLIENT LIST ID negative", C("CLIENT", "LIST", "ID", "-5")),
        Same("CLIENT LIST ID missing", C("CLIENT", "LIST", "ID")),
        Same("CLIENT LIST TYPE pubsub", C("CLIENT", "LIST", "TYPE", "pubsub")),
        Same("CLIENT LIST TYPE master", C("CLIENT", "LIST", "TYPE", "master")),
        Same("CLIENT LIST TYPE replica", C("CLIENT", "LIST", "TYPE", "replica")),
        Same("CLIENT LIST TYPE slave", C("CLIENT", "LIST", "TYPE", "slave")),
        Same("CLIENT LIST TYPE bogus", C("CLIENT", "LIST", "TYPE", "bogus")),
        Same("CLIENT LIST TYPE missing", C("CLIENT", "LIST", "TYPE")),
        Same("CLIENT LIST bad argument", C("CLIENT", "LIST", "foo")),
        Same("CLIENT LIST bad arguments", C("CLIENT", "LIST", "foo", "bar")),
        Same("CLIENT KILL ID 0", C("CLIENT", "KILL", "ID", "0")),
        Same("CLIENT KILL ID negative", C("CLIENT", "KILL", "ID", "-1")),
        Same("CLIENT KILL ID invalid", C("CLIENT", "KILL", "ID", "abc")),
        Same("CLIENT KILL ID unknown", C("CLIENT", "KILL", "ID", "999999999")),
        Same("CLIENT KILL ID self skipped", C("CLIENT", "KILL", "ID", "{id}")),
        Same("CLIENT KILL ID self SKIPME yes", C("CLIENT", "KILL", "ID", "{id}", "SKIPME", "yes")),
        Closes("CLIENT KILL ID self SKIPME no", C("CLIENT", "KILL", "ID", "{id}", "SKIPME", "no") + C("PING")),
        Same("CLIENT KILL TYPE bogus", C("CLIENT", "KILL", "TYPE", "bogus")),
        Same("CLIENT KILL TYPE pubsub none", C("CLIENT", "KILL", "TYPE", "pubsub")),
        Same("CLIENT KILL USER unknown", C("CLIENT", "KILL", "USER", "nosuchuser")),
        Same("CLIENT KILL SKIPME bad", C("CLIENT", "KILL", "ID", "1", "SKIPME", "maybe")),
        Same("CLIENT KILL odd filters", C("CLIENT", "KILL", "ID", "1", "SKIPME")),
        Same("CLIENT KILL unknown filter", C("CLIENT", "KILL", "FOO", "bar")),
        Same("CLIENT KILL ADDR unknown", C("CLIENT", "KILL", "ADDR", "1.2.3.4:5")),
        Same("CLIENT KILL LADDR unknown", C("CLIENT", "KILL", "LADDR", "1.2.3.4:5")),
        Same("CLIENT KILL old style unknown", C("CLIENT", "KILL", "1.2.3.4:5")),
        Same("CLIENT KILL old style not an address", C("CLIENT", "KILL", "nonsense")),
        Same("CLIENT KILL arity", C("CLIENT", "KILL")),
        Same("CLIENT REPLY OFF then ON", C("CLIENT", "REPLY", "OFF") + C("PING") + C("ECHO", "muted") + C("CLIENT", "REPLY", "ON") + C("PING")),
        Same("CLIENT REPLY OFF mutes errors", C("CLIENT", "REPLY", "OFF") + C("NOSUCH") + C("ECHO") + C("CLIENT", "REPLY", "ON") + C("ECHO", "back")),
        Same("CLIENT REPLY SKIP", C("CLIENT", "REPLY", "SKIP") + C("ECHO", "skipped") + C("ECHO", "seen")),
        Same("CLIENT NO-EVICT", C("CLIENT", "NO-EVICT", "on") + C("CLIENT", "NO-EVICT", "OFF")),
        Same("CLIENT NO-EVICT bad value", C("CLIENT", "NO-EVICT", "maybe")),
        Masked("CLIENT INFO flags", C("CLIENT", "NO-EVICT", "on") + C("CLIENT", "INFO") + C("MULTI") + C("CLIENT", "INFO") + C("EXEC") +
            C("CLIENT", "NO-EVICT", "off") + C("CLIENT", "INFO"), Masks.ClientFlagsOnly),
        Same("CLIENT NO-EVICT arity", C("CLIENT", "NO-EVICT") + C("CLIENT", "NO-EVICT", "on", "off")),
        Same("CLIENT UNBLOCK no such client", C("CLIENT", "UNBLOCK", "999999") + C("CLIENT", "UNBLOCK", "999999", "TIMEOUT") + C("CLIENT", "UNBLOCK", "999999", "error")),
        Same("CLIENT UNBLOCK errors", C("CLIENT", "UNBLOCK", "x") + C("CLIENT", "UNBLOCK", "99999999999999999999") + C("CLIENT", "UNBLOCK", "1", "foo") +
            C("CLIENT", "UNBLOCK", "x", "foo") + C("CLIENT", "UNBLOCK", "1", "timeout", "x") + C("CLIENT", "UNBLOCK")),
        Same("CLIENT REPLY SKIP twice", C("CLIENT", "REPLY", "SKIP") + C("CLIENT", "REPLY", "SKIP") + C("ECHO", "a") + C("ECHO", "b")),
        Same("CLIENT REPLY SKIP skips an error", C("CLIENT", "REPLY", "SKIP") + C("NOSUCH") + C("ECHO", "seen")),
        Same("CLIENT REPLY SKIP while OFF", C("CLIENT", "REPLY", "OFF") + C("CLIENT", "REPLY", "SKIP") + C("ECHO", "a") + C("CLIENT", "REPLY", "ON") + C("ECHO", "b")),
        Same("CLIENT REPLY ON when on", C("CLIENT", "REPLY", "ON")),
        Same("CLIENT REPLY lower case", C("client", "reply", "skip") + C("PING") + C("PING")),
        Same("CLIENT REPLY bad mode", C("CLIENT", "REPLY", "maybe")),
        Same("CLIENT REPLY arity", C("CLIENT", "REPLY")),
        Same("CLIENT REPLY too many", C("CLIENT", "REPLY", "ON", "OFF")),
        Same("CLIENT HELP arity", C("CLIENT", "HELP", "x")),
        Same("CLIENT unknown subcommand", C("CLIENT", "NOSUCH")),
        Same("CLIENT unknown subcommand lower case", C("client", "nosuch", "x")),
        Same("CLIENT arity", C("CLIENT")),

        // RESET, QUIT
        Same("RESET", C("RESET")),
        Masked("RESET clears the state", C("SELECT", "3") + C("CLIENT", "SETNAME", "n") + C("CLIENT", "REPLY", "SKIP") + C("PING") + C("RESET") + C("CLIENT", "INFO"), Masks.ClientFields),
        Masked("RESET after HELLO 3 returns to RESP2", C("HELLO", "3") + C("RESET") + C("CLIENT", "GETNAME") + C("HELLO"), Masks.HelloId),
        Same("RESET arity", C("RESET", "x")),
        Closes("QUIT", C("QUIT")),
        Closes("QUIT with arguments", C("QUIT", "now", "please")),
        Closes("QUIT drops what follows", C("QUIT") + C("PING")),
        Closes("QUIT after a pipeline", C("PING") + C("ECHO", "x") + C("QUIT") + C("PING")),

        // COMMAND: the metadata of the connection commands is Redis's; COMMAND COUNT differs (fewer commands)
        Same("COMMAND INFO ping", C("COMMAND", "INFO", "ping")),
        Same("COMMAND INFO echo", C("COMMAND", "INFO", "echo")),
        Same("COMMAND INFO auth", C("COMMAND", "INFO", "auth")),
        Same("COMMAND INFO select", C("COMMAND", "INFO", "select")),
        Same("COMMAND INFO hello", C("COMMAND", "INFO", "hello")),
        Same("COMMAND INFO quit", C("COMMAND", "INFO", "quit")),
        Same("COMMAND INFO reset", C("COMMAND", "INFO", "reset")),
        Same("COMMAND INFO time", C("COMMAND", "INFO", "time")),
        Same("COMMAND INFO info", C("COMMAND", "INFO", "info")),
        Same("COMMAND INFO upper case", C("COMMAND", "INFO", "PING")),
        Same("COMMAND INFO several", C("COMMAND", "INFO", "ping", "nosuch", "echo")),
        Same("COMMAND INFO unknown", C("COMMAND", "INFO", "nosuch")),
        Same("COMMAND INFO subcommand", C("COMMAND", "INFO", "client|setname")),
        Same("COMMAND DOCS ping", C("COMMAND", "DOCS", "ping")),
        Same("COMMAND DOCS echo", C("COMMAND", "DOCS", "echo")),
        Same("COMMAND DOCS auth", C("COMMAND", "DOCS", "auth")),
        Same("COMMAND DOCS select", C("COMMAND", "DOCS", "select")),
        Same("COMMAND DOCS hello", C("COMMAND", "DOCS", "hello")),
        Same("COMMAND DOCS quit", C("COMMAND", "DOCS", "quit")),
        Same("COMMAND DOCS reset", C("COMMAND", "DOCS", "reset")),
        Same("COMMAND DOCS time", C("COMMAND", "DOCS", "time")),
        Same("COMMAND DOCS info", C("COMMAND", "DOCS", "info")),
        Same("COMMAND DOCS unknown", C("COMMAND", "DOCS", "nosuch")),
        Shape("COMMAND COUNT shape", C("COMMAND", "COUNT")),
        Same("COMMAND COUNT arity", C("COMMAND", "COUNT", "x")),
        Same("COMMAND LIST FILTERBY PATTERN", C("COMMAND", "LIST", "FILTERBY", "PATTERN", "pin?")),
        Same("COMMAND LIST FILTERBY PATTERN none", C("COMMAND", "LIST", "FILTERBY", "PATTERN", "zzz*")),
        Same("COMMAND LIST FILTERBY bad", C("COMMAND", "LIST", "FILTERBY", "NOSUCH", "x")),
        Same("COMMAND LIST bad", C("COMMAND", "LIST", "FOO")),
        Same("COMMAND unknown subcommand", C("COMMAND", "NOSUCH")),

        // INFO: the sections and their order are Redis's; the fields are the server's own
        Masked("INFO", C("INFO"), Masks.InfoSections),
        Masked("INFO server", C("INFO", "server"), Masks.InfoSections),
        Masked("INFO clients", C("INFO", "clients"), Masks.InfoSections),
        Masked("INFO server clients", C("INFO", "server", "clients"), Masks.InfoSections),
        Masked("INFO upper case", C("INFO", "SERVER"), Masks.InfoSections),
        Masked("INFO default", C("INFO", "default"), Masks.InfoSections),
        Masked("INFO all", C("INFO", "all"), Masks.InfoSections),
        Masked("INFO everything", C("INFO", "everything"), Masks.InfoSections),
        Same("INFO unknown section", C("INFO", "nosuch")),

        // TIME: shape only, the values differ
        Shape("TIME", C("TIME")),
        Same("TIME arity", C("TIME", "x")),

        // ROLE, and SHUTDOWN's refusals (nothing here may stop either server)
        Same("ROLE", C("ROLE")),
        Same("ROLE arity", C("ROLE", "x")),
        Same("SHUTDOWN bad option", C("SHUTDOWN", "foo") + C("SHUTDOWN", "NOW", "NOW", "FOO")),
        Same("SHUTDOWN conflicting options", C("SHUTDOWN", "SAVE", "NOSAVE") + C("SHUTDOWN", "abort", "NOW")),
        Same("SHUTDOWN ABORT", C("SHUTDOWN", "ABORT")),
        Same("SHUTDOWN and SAVE refused inside MULTI", C("MULTI") + C("SHUTDOWN") + C("SAVE") + C("PING") + C("EXEC")),

        // SLOWLOG: every command is slow with a threshold of 0; arguments cut and redacted as Redis's
        new DiffCase("SLOWLOG records commands", C("SLOWLOG", "RESET") + C("CONFIG", "SET", "slowlog-log-slower-than", "0") +
            C("ECHO", new string('x', 200)) + C("AUTH", "secret") + C("HELLO", "2", "SETNAME", "auth", "AUTH", "default", "pw") +
            C("CONFIG", "SET", "requirepass", "") + C([.. "ECHO x".Split(' '), .. Enumerable.Range(0, 40).Select(i => $"{i}")]) +
            C("SLOWLOG", "LEN") + C("SLOWLOG", "GET", "2") + C("SLOWLOG", "GET", "-1") + C("SLOWLOG", "RESET") + C("SLOWLOG", "GET"),
            Comparison: Comparison.Masked, Mask: Masks.SlowLogFields, Restore: C("CONFIG", "SET", "slowlog-log-slower-than", "10000") + C("SLOWLOG", "RESET")),
        Same("SLOWLOG max length", C("CONFIG", "SET", "slowlog-max-len", "2") + C("CONFIG", "SET", "slowlog-log-slower-than", "0") + C("PING") + C("PING") +
            C("PING") + C("SLOWLOG", "LEN") + C("CONFIG", "SET", "slowlog-log-slower-than", "-1") + C("SLOWLOG", "RESET") + C("PING") + C("SLOWLOG", "LEN"),
            restore: C("CONFIG", "SET", "slowlog-log-slower-than", "10000") + C("CONFIG", "SET", "slowlog-max-len", "128") + C("SLOWLOG", "RESET")),
        Same("SLOWLOG errors", C("SLOWLOG", "GET", "-2") + C("SLOWLOG", "GET", "x") + C("SLOWLOG", "GET", "1", "2") + C("SLOWLOG", "LEN", "x") +
            C("SLOWLOG", "FOO") + C("SLOWLOG") + C("SLOWLOG", "HELP") + C("CONFIG", "SET", "slowlog-max-len", "-1") + C("CONFIG", "SET", "slowlog-log-slower-than", "x")),
        // (a threshold far above what a first, cold run of a command takes, far below the time blocked)
        Same("SLOWLOG leaves out the time blocked", C("SLOWLOG", "RESET") + C("CONFIG", "SET", "slowlog-log-slower-than", "400000") +
            C("XREAD", "BLOCK", "600", "STREAMS", "nokey", "$") + C("WAIT", "1", "600") + C("SLOWLOG", "LEN"),
            restore: C("CONFIG", "SET", "slowlog-log-slower-than", "10000") + C("SLOWLOG", "RESET")),
        Same("SLOWLOG config", C("CONFIG", "GET", "slowlog-max-len") + C("CONFIG", "GET", "slowlog-log-slower-than")),

        // WAIT: no replicas, so 0; at once when none is asked for, and inside EXEC
        Same("WAIT no replicas asked", C("WAIT", "0", "0")),
        Same("WAIT negative replicas", C("WAIT", "-1", "100")),
        Same("WAIT a replica times out", C("WAIT", "1", "10")),
        Same("WAIT timeout not integer", C("WAIT", "1", "x")),
        Same("WAIT timeout fraction", C("WAIT", "1", "1.5")),
        Same("WAIT timeout overflow", C("WAIT", "1", "99999999999999999999")),
        Same("WAIT timeout negative", C("WAIT", "1", "-1")),
        Same("WAIT timeout negative with no replicas", C("WAIT", "0", "-1")),
        Same("WAIT replicas not integer", C("WAIT", "x", "1")),
        Same("WAIT replicas checked first", C("WAIT", "x", "x")),
        Same("WAIT arity", C("WAIT", "1")),
        Same("WAIT inside EXEC", C("MULTI") + C("WAIT", "5", "0") + C("EXEC")),

        // CONFIG
        Same("CONFIG GET proto-max-bulk-len", C("CONFIG", "GET", "proto-max-bulk-len")),
        Same("CONFIG GET maxclients", C("CONFIG", "GET", "maxclients")),
        Same("CONFIG GET timeout", C("CONFIG", "GET", "timeout")),
        Same("CONFIG GET databases", C("CONFIG", "GET", "databases")),
        Same("CONFIG GET client-query-buffer-limit", C("CONFIG", "GET", "client-query-buffer-limit")),
        Same("CONFIG GET requirepass", C("CONFIG", "GET", "requirepass")),
        Same("CONFIG GET bind", C("CONFIG", "GET", "bind")),
        Shape("CONFIG GET port", C("CONFIG", "GET", "port")),
        Same("CONFIG GET upper case", C("CONFIG", "GET", "MAXCLIENTS")),
        Same("CONFIG GET pattern", C("CONFIG", "GET", "proto-max-bulk-le?")),
        Masked("CONFIG GET two (any order)", C("CONFIG", "GET", "timeout", "databases"), Masks.UnorderedPairs),
        Same("CONFIG GET save (no snapshot points)", C("CONFIG", "GET", "save")),
        Same("CONFIG SET save to none", C("CONFIG", "SET", "save", "") + C("CONFIG", "GET", "save")),
        Same("CONFIG GET unknown", C("CONFIG", "GET", "nosuch")),
        Same("CONFIG GET arity", C("CONFIG", "GET")),
        Same("CONFIG SET unknown", C("CONFIG", "SET", "nosuch", "1")),
        Same("CONFIG SET immutable", C("CONFIG", "SET", "databases", "20")),
        Same("CONFIG SET bad memory value", C("CONFIG", "SET", "proto-max-bulk-len", "abc")),
        Same("CONFIG SET negative memory value", C("CONFIG", "SET", "proto-max-bulk-len", "-1")),
        Same("CONFIG SET memory below minimum", C("CONFIG", "SET", "proto-max-bulk-len", "1k")),
        Same("CONFIG SET memory overflow", C("CONFIG", "SET", "proto-max-bulk-len", "18446744073709551616")),
        Same("CONFIG SET memory overflow by unit", C("CONFIG", "SET", "client-query-buffer-limit", "17179869184gb")),
        Same("CONFIG SET memory with unit", C("CONFIG", "SET", "proto-max-bulk-len", "2mb") + C("CONFIG", "GET", "proto-max-bulk-len"), restore: C("CONFIG", "SET", "proto-max-bulk-len", "512mb")),
        Same("CONFIG SET integer not a number", C("CONFIG", "SET", "maxclients", "abc")),
        Same("CONFIG SET integer out of range", C("CONFIG", "SET", "maxclients", "0")),
        Same("CONFIG SET timeout negative", C("CONFIG", "SET", "timeout", "-1")),
        Same("CONFIG SET timeout", C("CONFIG", "SET", "timeout", "0") + C("CONFIG", "GET", "timeout")),
        Same("CONFIG SET odd arguments", C("CONFIG", "SET", "timeout")),
        Same("CONFIG SET odd arguments after a pair", C("CONFIG", "SET", "timeout", "0", "maxclients")),
        Same("CONFIG SET two", C("CONFIG", "SET", "timeout", "0", "maxclients", "10000") + C("CONFIG", "GET", "maxclients")),
        Same("CONFIG SET duplicate", C("CONFIG", "SET", "timeout", "0", "timeout", "1")),
        Same("CONFIG SET one bad of two applies neither", C("CONFIG", "SET", "timeout", "5", "maxclients", "0") + C("CONFIG", "GET", "timeout")),
        Same("CONFIG RESETSTAT", C("CONFIG", "RESETSTAT")),
        Same("CONFIG RESETSTAT arity", C("CONFIG", "RESETSTAT", "x")),
        Same("CONFIG unknown subcommand", C("CONFIG", "NOSUCH")),
        Same("CONFIG arity", C("CONFIG")),
    ];

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);

    // Redis takes snapshot points; ours has none to take, and says so rather than ignore them.
    [Fact]
    public Task Config_set_save_refuses_snapshot_points() => fixture.RunAsync(async () =>
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        Assert.Equal(
            "-ERR CONFIG SET failed (possibly related to argument 'save') - save points are not supported: changes are stored as appendfsync says\r\n",
            Encoding.ASCII.GetString(await connection.CallAsync("CONFIG", "SET", "save", "900 1")));
        Assert.StartsWith(
            "-ERR CONFIG SET failed (possibly related to argument 'save') - ",
            Encoding.ASCII.GetString(await connection.CallAsync("CONFIG", "SET", "save", " ")),
            StringComparison.Ordinal);
        Assert.Equal("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", Encoding.ASCII.GetString(await connection.CallAsync("CONFIG", "GET", "save")));
    });
}
