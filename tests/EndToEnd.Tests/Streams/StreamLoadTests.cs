using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    /// <summary>
    /// Under always, the loop serves the sockets that are ready before it commits a pass's changes,
    /// for a few milliseconds at most (LoopCommits.MayGather): a connection that never stops
    /// sending keeps a socket ready at every look, and must not hold another's XADD reply back.
    /// </summary>
    [Fact]
    public Task Under_always_a_connection_that_never_stops_sending_does_not_hold_back_another_s_XADD() => fixture.RunAsync(async () =>
    {
        const string key = "flooded-always";
        await using var admin = await fixture.Ours.ConnectAsync();
        var fsyncBefore = RespValue.Parse(await admin.CallAsync("CONFIG", "GET", "appendfsync")).Array[1].Str;
        await admin.CallAsync("CONFIG", "SET", "appendfsync", "always");
        using var flood = new TcpClient();
        await flood.ConnectAsync(IPAddress.Loopback, fixture.Ours.Port);
        var stream = flood.GetStream();
        using var stop = new CancellationTokenSource();
        var pings = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("PING\r\n", 10_000)));
        var sending = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await stream.WriteAsync(pings, stop.Token);
            }
        });
        var draining = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            while (await stream.ReadAsync(buffer, stop.Token) > 0)
            {
            }
        });
        try
        {
            var slowest = TimeSpan.Zero;
            for (var i = 0; i < 20; i++)
            {
                var started = Stopwatch.GetTimestamp();
                Assert.StartsWith("$", RespFrame.Render(await admin.CallAsync("XADD", key, "*", "f", "v")), StringComparison.Ordinal);
                var took = Stopwatch.GetElapsedTime(started);
                slowest = took > slowest ? took : slowest;
            }

            Assert.False(sending.IsCompleted || draining.IsCompleted, "the flooding connection stopped");
            Assert.True(slowest < TimeSpan.FromSeconds(2), $"an XADD took {slowest.TotalMilliseconds:F0} ms beside the flood");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(sending, draining).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await using var restore = await fixture.Ours.ConnectAsync();
            await restore.CallAsync("CONFIG", "SET", "appendfsync", fsyncBefore);
            await restore.CallAsync("DEL", key);
        }
    });
}
