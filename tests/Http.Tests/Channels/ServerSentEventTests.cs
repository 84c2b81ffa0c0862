using System.Net;
using System.Net.Sockets;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Channels;

/// <summary>GET /channels/subscribe: the event stream, its keep-alives, its end, and its limits.</summary>
public sealed class ServerSentEventTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task The_first_event_lists_the_subscriptions_and_messages_follow_in_order() => fixture.RunAsync(async server =>
    {
        await using var sse = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=ordered&channel=ordered&pattern=ord*");
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", sse.Response.Headers.CacheControl?.ToString());
        var subscribed = await sse.NextAsync();
        Assert.Equal("subscribed", subscribed.Name);
        Assert.Equal(["ordered"], subscribed.Json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["ord*"], subscribed.Json.GetProperty("patterns").EnumerateArray().Select(c => c.GetString()));

        for (var i = 0; i < 20; i++)
        {
            await server.Http.PostAsync("channels/ordered/messages", new { data = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        var seen = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var e = await sse.NextAsync();
            if (e.Name == "message")
            {
                seen.Add(e.Json.GetProperty("data").GetString()!);
            }
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), seen);
    });

    [Fact]
    public Task Without_a_channel_or_pattern_it_is_a_400_problem() => fixture.RunAsync(async server =>
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Get, "channels/subscribe"), 400, "bad-request", "ERR give at least one 'channel' or 'pattern' query parameter"));

    [Fact]
    public Task A_quiet_stream_gets_keep_alive_comments() => fixture.RunAsync(async server =>
    {
        await using var sse = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=quiet");
        await sse.NextAsync();
        await sse.WaitForCommentAsync(TimeSpan.FromSeconds(5));
    });

    [Fact]
    public Task A_client_that_goes_away_frees_its_subscriptions_at_once() => fixture.RunAsync(async server =>
    {
        var sse = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=leaving&pattern=leaving.*");
        await sse.NextAsync();
        Assert.Equal("leaving\n1", await server.RedisAsync("PUBSUB", "NUMSUB", "leaving"));
        Assert.Equal("1", await server.RedisAsync("PUBLISH", "leaving.sub", "pattern only"));

        await sse.DisposeAsync();

        await Requests.EventuallyAsync(async () => await server.RedisAsync("PUBSUB", "NUMSUB", "leaving") == "leaving\n0", TimeSpan.FromSeconds(5), "the subscription to end");
        await Requests.EventuallyAsync(
            async () => await server.RedisAsync("PUBLISH", "leaving.sub", "anyone?") == "0", TimeSpan.FromSeconds(5), "the pattern subscription to end");
    });

    [Fact]
    public Task A_subscriber_that_does_not_read_is_disconnected_past_the_hard_limit_and_the_others_get_everything() => fixture.RunAsync(async server =>
    {
        Assert.Equal("OK", await server.RedisAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0"));
        try
        {
            // A raw socket with a small receive buffer that never reads: the server's sends stall.
            using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await stalled.ConnectAsync(IPAddress.Loopback, server.HttpPort);
            await stalled.SendAsync(Encoding.ASCII.GetBytes("GET /channels/subscribe?channel=flood HTTP/1.1\r\nHost: x\r\n\r\n"));
            await using var reader = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=flood");
            await reader.NextAsync();
            await Requests.EventuallyAsync(async () => await server.RedisAsync("PUBSUB", "NUMSUB", "flood") == "flood\n2", TimeSpan.FromSeconds(5), "both subscribers");
            var before = await DisconnectionsAsync(server);

            var received = 0;
            var reading = Task.Run(async () =>
            {
                while (true)
                {
                    var e = await reader.NextAsync();
                    if (e.Name == "message" && e.Json.GetProperty("data").GetString() == "last")
                    {
                        return;
                    }

                    Interlocked.Increment(ref received);
                }
            });
            var published = await FloodUntilDisconnectedAsync(server, "flood", before);
            await Requests.EventuallyAsync(async () => await server.RedisAsync("PUBSUB", "NUMSUB", "flood") == "flood\n1", TimeSpan.FromSeconds(5), "the slow subscriber to be gone");
            Assert.Equal("1", await server.RedisAsync("PUBLISH", "flood", "last"));
            await reading.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(published, received);
        }
        finally
        {
            await server.RedisAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    });

    /// <summary>
    /// Publishes 32 KiB messages to <paramref name="channel"/> until the server has disconnected a
    /// client for its output buffer (at most 64 MiB); returns the number published.
    /// </summary>
    internal static async Task<int> FloodUntilDisconnectedAsync(PlatformServer server, string channel, long disconnectionsBefore)
    {
        var payload = new string('x', 32 * 1024);
        var published = 0;
        while (await DisconnectionsAsync(server) == disconnectionsBefore)
        {
            Assert.True(published < 2048, "No subscriber was disconnected after 64 MiB.");
            for (var i = 0; i < 16; i++, published++)
            {
                var (status, _, _) = await server.Http.SendAsync(HttpMethod.Post, $"channels/{channel}/messages", new StringContent(payload));
                Assert.Equal(HttpStatusCode.OK, status);
            }
        }

        return published;
    }

    internal static async Task<long> DisconnectionsAsync(PlatformServer server)
    {
        var info = await server.RedisAsync("INFO", "stats");
        var line = info.Split('\n').Single(l => l.StartsWith("client_output_buffer_limit_disconnections:", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
