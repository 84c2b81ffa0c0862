using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>
/// Debian's redis-cli against ours and Redis: commands as arguments, commands on stdin (one
/// connection), --pipe, and -3 (RESP3). What it prints must be the same for both, save the
/// masked client id.
/// </summary>
public sealed partial class RedisCliTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    public static TheoryData<string, string[], string?> Runs => new()
    {
        { "ping", ["ping"], null },
        { "PING lower/upper", ["PING", "hello"], null },
        { "echo", ["echo", "hello world"], null },
        { "echo binary", ["echo", "a\u00e9\tb"], null },
        { "unknown command", ["nosuch", "x"], null },
        { "arity error", ["echo"], null },
        { "select", ["select", "5"], null },
        { "select out of range", ["select", "99"], null },
        { "client getname unset", ["client", "getname"], null },
        { "client id", ["client", "id"], null },
        { "hello 3", ["hello", "3"], null },
        { "hello 2", ["hello", "2"], null },
        { "config get", ["config", "get", "maxclients"], null },
        { "command info", ["command", "info", "ping"], null },
        { "stdin: setname then getname", [], "client setname x\nclient getname\n" },
        { "stdin: select and client info db", [], "select 4\nping\necho done\n" },
        { "stdin: errors and replies", [], "echo a\nnosuch\nclient setname \"a b\"\nclient getname\n" },
        { "RESP3 ping", ["-3", "ping"], null },
        { "RESP3 echo", ["-3", "echo", "hi"], null },
        { "RESP3 hello", ["-3", "hello"], null },
        { "RESP3 config get", ["-3", "config", "get", "timeout"], null },
        { "RESP3 client getname", ["-3", "client", "getname"], null },
        { "RESP3 command docs", ["-3", "command", "docs", "echo"], null },
        { "RESP3 stdin", ["-3"], "client setname y\nclient getname\nhello\n" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public Task Prints_what_it_prints_for_redis(string name, string[] arguments, string? input) => fixture.RunAsync(async () =>
    {
        var ours = await RedisCliAsync(fixture.Ours.Port, arguments, input);
        var redis = await RedisCliAsync(fixture.Redis.Port, arguments, input);
        Assert.True(redis.ExitCode == 0 && !redis.TimedOut, $"{name}: redis-cli against redis: {redis}");
        Assert.Equal(MaskIds(redis.StandardOutput), MaskIds(ours.StandardOutput));
        Assert.Equal(redis.StandardError, ours.StandardError);
        Assert.Equal(redis.ExitCode, ours.ExitCode);
    });

    [Fact]
    public Task Ping_as_argument_prints_PONG() => fixture.RunAsync(async () =>
    {
        var result = await RedisCliAsync(fixture.Ours.Port, ["ping"], null);
        Assert.Equal("PONG\n", result.StandardOutput);
    });

    [Fact]
    public Task Setname_then_getname_on_stdin_share_one_connection() => fixture.RunAsync(async () =>
    {
        var result = await RedisCliAsync(fixture.Ours.Port, [], "client setname x\nclient getname\n");
        Assert.Equal("OK\nx\n", result.StandardOutput);
    });

    [Fact]
    public Task Info_server_prints_the_server_section() => fixture.RunAsync(async () =>
    {
        var result = await RedisCliAsync(fixture.Ours.Port, ["info", "server"], null);
        var lines = result.StandardOutput.Split('\n');
        Assert.Equal("# Server\r", lines[0]);
        Assert.Contains("redis_version:7.0.15\r", lines);
        Assert.Contains($"tcp_port:{fixture.Ours.Port.ToString(CultureInfo.InvariantCulture)}\r", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith('#') && l != "# Server\r");
    });

    [Fact]
    public Task Pipe_mode_sends_1000_commands_and_counts_1000_replies_without_errors() => fixture.RunAsync(async () =>
    {
        var commands = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            commands.Append((i % 4) switch
            {
                0 => Resp.CommandText("PING"),
                1 => Resp.CommandText("ECHO", "value-" + text),
                2 => Resp.CommandText("CLIENT", "SETNAME", "pipe-" + text),
                _ => Resp.CommandText("SELECT", (i % 16).ToString(CultureInfo.InvariantCulture)),
            });
        }

        var ours = await RedisCliAsync(fixture.Ours.Port, ["--pipe"], commands.ToString());
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Contains("errors: 0, replies: 1000", ours.StandardOutput, StringComparison.Ordinal);

        var withErrors = await RedisCliAsync(fixture.Ours.Port, ["--pipe"], commands + Resp.CommandText("NOSUCH") + Resp.CommandText("ECHO"));
        Assert.Contains("errors: 2, replies: 1002", withErrors.StandardOutput, StringComparison.Ordinal);
    });

    [Fact]
    public Task Time_prints_seconds_and_microseconds() => fixture.RunAsync(async () =>
    {
        var lines = (await RedisCliAsync(fixture.Ours.Port, ["time"], null)).StandardOutput.Split('\n');
        Assert.Equal(3, lines.Length);
        var seconds = long.Parse(lines[0], CultureInfo.InvariantCulture);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.InRange(long.Parse(lines[1], CultureInfo.InvariantCulture), 0, 999_999);
    });

    [Fact]
    public Task Resp3_mode_gets_a_map_from_hello() => fixture.RunAsync(async () =>
    {
        var result = await RedisCliAsync(fixture.Ours.Port, ["-3", "hello"], null);
        var lines = result.StandardOutput.Split('\n');
        Assert.Equal("server redis", lines[0]);
        Assert.Contains("proto 3", lines);
    });

    private static Task<ProcessResult> RedisCliAsync(int port, string[] arguments, string? input) =>
        ExternalProcess.RunAsync(
            "redis-cli",
            ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. arguments],
            input,
            timeout: TimeSpan.FromSeconds(30));

    // The client id: HELLO's "id" (the next line in RESP2, after a space in RESP3), and CLIENT ID's number.
    private static string MaskIds(string output) => IdLine().Replace(output, "$1…");

    [GeneratedRegex(@"((?:^|\n)id[\n ]|^)\d+(?=\n)")]
    private static partial Regex IdLine();
}
