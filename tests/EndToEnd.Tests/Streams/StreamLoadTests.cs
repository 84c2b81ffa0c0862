using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>
/// Pipelined commands on one stream from several connections at once, driven by redis-benchmark
/// (-c 10 -P 16, as bench/streams.py does): every reply must come, and promptly — Redis does the
/// 20,000 requests in well under a second; a reply held back stalls its client, which shows as a
/// run that does not finish in 30 s. Ours in both durability modes, Redis to show the test is right.
/// </summary>
public sealed class StreamLoadTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const int Requests = 20_000;

    [Theory]
    [InlineData("ours", "no", "XADD")]
    [InlineData("ours", "always", "XADD")]
    [InlineData("redis", "no", "XADD")]
    [InlineData("ours", "no", "XRANGE")]
    [InlineData("redis", "no", "XRANGE")]
    public Task Pipelined_commands_from_several_connections_are_all_answered(string server, string appendfsync, string command) => fixture.RunAsync(async () =>
    {
        var process = server == "ours" ? fixture.Ours : fixture.Redis;
        var key = $"pipelined-{appendfsync}-{command}";
        await using var admin = await process.ConnectAsync();
        var fsyncBefore = RespValue.Parse(await admin.CallAsync("CONFIG", "GET", "appendfsync")).Array[1].Str;
        await admin.CallAsync("CONFIG", "SET", "appendfsync", appendfsync);
        await admin.CallAsync("DEL", key);
        try
        {
            string[] arguments = command == "XADD" ? ["XADD", key, "*", "f", "v"] : ["XRANGE", key, "-", "+", "COUNT", "10"];
            if (command == "XRANGE")
            {
                for (var i = 0; i < 10; i++)
                {
                    await admin.CallAsync("XADD", key, "*", "f", "v");
                }
            }

            var result = await ExternalProcess.RunAsync(
                "redis-benchmark",
                ["-p", process.Port.ToString(CultureInfo.InvariantCulture), "-c", "10", "-P", "16", "-n", Requests.ToString(CultureInfo.InvariantCulture), "-q", .. arguments],
                timeout: TimeSpan.FromSeconds(30));
            Assert.False(result.TimedOut, $"{server} (appendfsync {appendfsync}): redis-benchmark -c 10 -P 16 -n {Requests} {string.Join(' ', arguments)} did not finish in 30 s: {result}");
            Assert.True(result.ExitCode == 0, result.ToString());
            if (command == "XADD")
            {
                Assert.Equal(FormattableString.Invariant($":{Requests}"), RespFrame.Render(await admin.CallAsync("XLEN", key)));
            }
        }
        finally
        {
            await using var restore = await process.ConnectAsync();
            await restore.CallAsync("CONFIG", "SET", "appendfsync", fsyncBefore);
            await restore.CallAsync("DEL", key);
        }
    });
}
