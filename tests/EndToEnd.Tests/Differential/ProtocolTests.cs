using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Differential.DiffCase;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>
/// The request parser against redis-server 7.0: every protocol error (same bytes in, same bytes
/// out, then the connection closed by both) and the quirks of processMultibulkBuffer and
/// processInlineBuffer, in RESP2 and after HELLO 3.
/// </summary>
public sealed class ProtocolTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string Ping = "*1\r\n$4\r\nPING\r\n";

    public static readonly DiffCase[] Cases =
    [
        // Protocol errors: the reply, then the connection is closed
        Closes("invalid multibulk length: letters", "*abc\r\n"),
        Closes("invalid multibulk length: lone minus", "*-\r\n"),
        Closes("invalid multibulk length: above INT_MAX", "*2147483648\r\n"),
        Closes("invalid multibulk length: plus sign", "*+1\r\n" + Ping),
        Closes("invalid multibulk length: leading zero", "*01\r\n$4\r\nPING\r\n"),
        Closes("invalid multibulk length: empty", "*\r\n"),
        Closes("invalid multibulk length: space", "*1 \r\n$4\r\nPING\r\n"),
        Closes("invalid multibulk length: overflow", "*99999999999999999999\r\n"),
        Closes("invalid bulk length: letters", "*1\r\n$abc\r\n"),
        Closes("invalid bulk length: negative", "*1\r\n$-5\r\n"),
        Closes("invalid bulk length: minus one", "*1\r\n$-1\r\n"),
        Closes("invalid bulk length: empty", "*1\r\n$\r\n"),
        Closes("invalid bulk length: leading zero", "*1\r\n$04\r\nPING\r\n"),
        Closes("invalid bulk length: above proto-max-bulk-len", "*1\r\n$536870913\r\n"),
        Closes(
            "invalid bulk length: above proto-max-bulk-len after CONFIG SET",
            C("CONFIG", "SET", "proto-max-bulk-len", "1mb") + C("PING") + "*2\r\n$4\r\nECHO\r\n$1048577\r\n",
            restore: C("CONFIG", "SET", "proto-max-bulk-len", "512mb")),
        Closes("expected '$', got 'x'", "*1\r\nx\r\n"),
        Closes("expected '$', got ':'", "*2\r\n$4\r\nECHO\r\n:5\r\n"),
        Closes("expected '$', got a NUL-free high byte", "*1\r\n\xff4\r\nPING\r\n"),
        Closes("expected '$', got '*' (nested array)", "*1\r\n*1\r\n$4\r\nPING\r\n"),
        Closes("too big mbulk count string", "*" + new string('1', 70000)),
        Closes("too big bulk count string", "*1\r\n$" + new string('1', 70000)),
        Closes("too big inline request", new string('A', 70000)),
        Closes("too big inline request with spaces", "PING " + new string(' ', 70000)),
        Closes("unbalanced quotes: open double quote", "ECHO \"abc\r\n"),
        Closes("unbalanced quotes: lone double quote", "\"abc\r\n"),
        Closes("unbalanced quotes: text after single quote", "'a'b\r\n"),
        Closes("unbalanced quotes: text after double quote", "ECHO \"a\"b\r\n"),
        Closes("unbalanced quotes: open single quote", "ECHO 'abc\r\n"),
        Closes("unbalanced quotes: escaped closing quote", "ECHO \"abc\\\"\r\n"),

        // Errors after good commands: the good ones are answered first
        Closes("error after good commands", Ping + "PING\r\n" + C("ECHO", "x") + "*abc\r\n" + Ping),
        Closes("inline error after good commands", Ping + "ECHO ok\r\nECHO \"bad\r\nPING\r\n"),
        Closes("bulk error after good commands", C("ECHO", "a") + C("ECHO", "b") + "*1\r\n$x\r\n" + Ping),
        Closes("expected '$' in the middle of a command", C("ECHO", "a") + "*3\r\n$4\r\nECHO\r\n?\r\n"),

        // Quirks that are not errors
        Same("*0 is skipped", "*0\r\n" + Ping),
        Same("*-1 is skipped", "*-1\r\n" + Ping),
        Same("*-5 is skipped", "*-5\r\n" + Ping),
        Same("empty inline line CRLF", "\r\n" + Ping),
        Same("empty inline line LF", "\n\n\n" + Ping),
        Same("blank inline line", "   \t \r\n" + Ping),
        Same("inline LF without CR", "PING\nECHO x\n"),
        Same("inline leading and trailing blanks", "  PING  \r\n\tECHO\t y \r\n"),
        Same("inline hex escapes", "ECHO \"\\x41\\x42\\x7a\"\r\n"),
        Same("inline hex escape upper case", "ECHO \"\\x4A\\xff\\x00z\"\r\n"),
        Same("inline bad hex escape", "ECHO \"\\x4g\\xZZ\"\r\n"),
        Same("inline letter escapes", "ECHO \"a\\nb\\rc\\td\\be\\af\\\\g\\\"h\\qi\"\r\n"),
        Same("inline single quotes", "ECHO 'it\\'s \\n raw \"x\"'\r\n"),
        Same("inline empty quotes", "ECHO \"\"\r\nECHO ''\r\n"),
        Same("inline quotes joined to a word", "ECHO ab\"cd ef\"\r\n"),
        Same("inline quoted argument then another", "CLIENT SETNAME \"a\"\r\nCLIENT GETNAME\r\n"),
        Same("inline with CR inside the line", "ECHO a\rb\r\n"),
        Same("inline high bytes", "ECHO \xe9\xff\x80\r\n"),
        Same("inline that looks like a bulk", "$4\r\nPING\r\n"),
        Same("inline command name case", "pInG\r\n"),
        Same("bulk whose trailing CRLF is other bytes", "*2\r\n$4\r\nECHO\r\n$3\r\nabcXY" + Ping),
        Same("bulk trailing bytes are not read", "*2\r\n$4\r\nECHO\r\n$1\r\na\n*" + Ping),
        Same("header line CR followed by another byte", "*1\rX$4\r\nPING\r\n"),
        Same("bulk header CR followed by another byte", "*2\r\n$4\rXECHO\r\n$2\r\nhi\r\n"),
        Same("empty bulk argument", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"),
        Same("binary bulk argument", "*2\r\n$4\r\nECHO\r\n$6\r\n\0\r\n\xff*$\r\n"),
        Same("multibulk and inline mixed", Ping + "PING\r\n" + Ping + "ECHO in\r\n" + C("ECHO", "mb")),
        Same("a command with many arguments", C([.. new[] { "NOSUCH" }, .. Enumerable.Range(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))])),
        Silent("inline with NUL before LF waits for more", "ECHO a\0b\r\n"),
        Silent("incomplete multibulk waits", "*2\r\n$4\r\nECHO\r\n$5\r\nab"),
        Silent("incomplete inline waits", "ECHO abc"),
        Silent("header line with only CR waits", "*1\r"),
    ];

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Parsing_is_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);
}
