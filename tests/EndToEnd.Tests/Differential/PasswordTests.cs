using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Differential.DiffCase;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>
/// Both servers started with <c>--requirepass s3cret</c>: what an unauthenticated connection may
/// do and is told, AUTH and HELLO AUTH, and the request limits before authentication.
/// </summary>
public sealed class PasswordTests(PasswordServerPairFixture fixture) : IClassFixture<PasswordServerPairFixture>
{
    private const string Pw = PasswordServerPairFixture.Secret;

    public static readonly DiffCase[] Cases =
    [
        Same("PING before AUTH", C("PING")),
        Same("inline PING before AUTH", "PING\r\n"),
        Same("ECHO before AUTH", C("ECHO", "x")),
        Same("CLIENT SETNAME before AUTH", C("CLIENT", "SETNAME", "x")),
        Same("CLIENT ID before AUTH", C("CLIENT", "ID")),
        Same("SELECT before AUTH", C("SELECT", "1")),
        Same("CONFIG GET before AUTH", C("CONFIG", "GET", "timeout")),
        Same("COMMAND before AUTH", C("COMMAND", "COUNT")),
        Same("unknown command before AUTH", C("NOSUCH")),
        Same("unknown command with args before AUTH", C("NOSUCH", "a", "b")),
        Same("unknown subcommand before AUTH", C("CLIENT", "NOSUCH")),
        Same("arity error before AUTH", C("PING", "a", "b")),
        Same("AUTH wrong password", C("AUTH", "wrong") + C("PING")),
        Same("AUTH default wrong password", C("AUTH", "default", "wrong") + C("PING")),
        Same("AUTH unknown user", C("AUTH", "nosuch", Pw) + C("PING")),
        Same("AUTH right password", C("AUTH", Pw) + C("PING")),
        Same("AUTH default right password", C("AUTH", "default", Pw) + C("PING")),
        Same("AUTH twice", C("AUTH", Pw) + C("AUTH", "wrong") + C("PING")),
        Same("AUTH arity", C("AUTH")),
        Same("AUTH syntax", C("AUTH", "a", "b", "c")),
        Same("HELLO before AUTH", C("HELLO")),
        Same("HELLO 3 before AUTH", C("HELLO", "3") + C("PING")),
        Same("HELLO 2 before AUTH", C("HELLO", "2")),
        Same("HELLO bad version before AUTH", C("HELLO", "4")),
        Masked("HELLO 3 AUTH default right password", C("HELLO", "3", "AUTH", "default", Pw) + C("PING"), Masks.HelloId),
        Masked("HELLO 2 AUTH default right password", C("HELLO", "2", "AUTH", "default", Pw) + C("PING"), Masks.HelloId),
        Masked("HELLO AUTH with SETNAME", C("HELLO", "3", "AUTH", "default", Pw, "SETNAME", "me") + C("CLIENT", "GETNAME"), Masks.HelloId),
        Same("HELLO 3 AUTH wrong password", C("HELLO", "3", "AUTH", "default", "wrong") + C("PING")),
        Same("HELLO 3 AUTH unknown user", C("HELLO", "3", "AUTH", "nosuch", Pw)),

        // HELLO's options take effect in order: a failing AUTH ends it, one that succeeded stays
        Same("HELLO AUTH wrong then bad SETNAME", C("HELLO", "2", "AUTH", "default", "wrong", "SETNAME", "a b") + C("PING")),
        Same("HELLO AUTH right then bad SETNAME", C("HELLO", "2", "AUTH", "default", Pw, "SETNAME", "a b") + C("PING")),
        Same("HELLO AUTH right then AUTH wrong", C("HELLO", "2", "AUTH", "default", Pw, "AUTH", "default", "wrong") + C("PING")),
        Same("HELLO AUTH wrong then AUTH right", C("HELLO", "2", "AUTH", "default", "wrong", "AUTH", "default", Pw) + C("PING")),
        Same("HELLO AUTH right then bad option", C("HELLO", "2", "AUTH", "default", Pw, "BOGUS") + C("PING")),
        Same("HELLO SETNAME then AUTH wrong keeps the name", C("HELLO", "2", "SETNAME", "n1", "AUTH", "default", "wrong") + C("AUTH", Pw) + C("CLIENT", "GETNAME")),
        Same("HELLO SETNAME without AUTH keeps the name", C("HELLO", "2", "SETNAME", "n2") + C("AUTH", Pw) + C("CLIENT", "GETNAME")),
        Same("HELLO SETNAME then bad option keeps the name", C("HELLO", "2", "SETNAME", "n3", "FOO") + C("AUTH", Pw) + C("CLIENT", "GETNAME")),
        Same("HELLO SETNAME then bad SETNAME keeps the first", C("HELLO", "2", "SETNAME", "n4", "SETNAME", "a b") + C("AUTH", Pw) + C("CLIENT", "GETNAME")),
        Same("HELLO SETNAME, AUTH, then bad SETNAME", C("HELLO", "2", "SETNAME", "n5", "AUTH", "default", Pw, "SETNAME", "a b") + C("CLIENT", "GETNAME")),
        Same("HELLO AUTH missing password", C("HELLO", "3", "AUTH", "default")),
        Masked("HELLO after AUTH", C("AUTH", Pw) + C("HELLO", "3"), Masks.HelloId),
        Same("RESET before AUTH", C("RESET") + C("PING")),
        Same("RESET after AUTH needs AUTH again", C("AUTH", Pw) + C("RESET") + C("PING")),
        Closes("QUIT before AUTH", C("QUIT")),
        Same("CLIENT REPLY before AUTH", C("CLIENT", "REPLY", "OFF") + C("PING")),

        // Request limits before AUTH: at most 10 arguments and 16 KiB per argument
        Same("10 arguments before AUTH", C(["NOSUCH", "1", "2", "3", "4", "5", "6", "7", "8", "9"])),
        Closes("11 arguments before AUTH", C(["NOSUCH", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])),
        Closes("multibulk header over 10 before AUTH", "*11\r\n"),
        Closes("multibulk header of 1000 before AUTH", "*1000\r\n$4\r\nPING\r\n"),
        Same("16 KiB argument before AUTH", C("ECHO", new string('x', 16 * 1024))),
        Closes("16 KiB + 1 argument before AUTH", C("ECHO", new string('x', (16 * 1024) + 1))),
        Closes("bulk header over 16 KiB before AUTH", "*2\r\n$4\r\nECHO\r\n$16385\r\n"),
        Closes("big bulk after good commands before AUTH", C("PING") + "*2\r\n$4\r\nECHO\r\n$100000\r\n"),
        Same("inline over 16 KiB before AUTH", "ECHO " + new string('y', 20000) + "\r\n"),
        Same("11 arguments after AUTH", C("AUTH", Pw) + C(["NOSUCH", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])),
        Same("big argument after AUTH", C("AUTH", Pw) + C("ECHO", new string('z', 100000))),
        Closes("11 arguments after failed AUTH", C("AUTH", "wrong") + C(["NOSUCH", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])),
        Same("limits return after RESET", C("AUTH", Pw) + C("RESET") + C("ECHO", new string('x', 16 * 1024))),
        Closes("limits enforced after RESET", C("AUTH", Pw) + C("RESET") + "*11\r\n"),
    ];

    private static readonly Dictionary<string, DiffCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => DiffCase.Rows(Cases, 2);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Replies_are_redis_s(string name, int protocol) => DifferentialRunner.RunAsync(fixture, ByName[name], protocol);
}
