using System.Net.WebSockets;
using System.Text.Json;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Channels;

/// <summary>/ws: subscribe, psubscribe, unsubscribe and publish on one socket, with JSON messages.</summary>
public sealed class WebSocketTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Subscriptions_are_confirmed_with_counts_and_messages_arrive() => fixture.RunAsync(async server =>
    {
        await using var ws = await WebSocketClient.ConnectAsync(server);
        await ws.SendAsync(new { op = "subscribe", channels = new[] { "ws.a", "ws.b" } });
        AssertReply(await ws.ReceiveAsync(), "subscribe", "channel", "ws.a", 1);
        AssertReply(await ws.ReceiveAsync(), "subscribe", "channel", "ws.b", 2);
        await ws.SendAsync(new { op = "psubscribe", patterns = new[] { "ws.*" } });
        AssertReply(await ws.ReceiveAsync(), "psubscribe", "pattern", "ws.*", 3);

        Assert.Equal("2", await server.RedisAsync("PUBLISH", "ws.a", "hello"));
        var message = await ws.ReceiveAsync();
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("ws.a", message.GetProperty("channel").GetString());
        Assert.Equal("hello", message.GetProperty("data").GetString());
        var pmessage = await ws.ReceiveAsync();
        Assert.Equal("pmessage", pmessage.GetProperty("type").GetString());
        Assert.Equal("ws.*", pmessage.GetProperty("pattern").GetString());

        await ws.SendAsync(new { op = "unsubscribe" });
        var left = new[] { await ws.ReceiveAsync(), await ws.ReceiveAsync() }.Select(r => r.GetProperty("channel").GetString()).Order();
        Assert.Equal(["ws.a", "ws.b"], left);
        await ws.SendAsync(new { op = "punsubscribe", patterns = new[] { "ws.*" } });
        AssertReply(await ws.ReceiveAsync(), "punsubscribe", "pattern", "ws.*", 0);
        await ws.SendAsync(new { op = "unsubscribe" });
        Assert.Equal(0, (await ws.ReceiveAsync()).GetProperty("count").GetInt32());
        Assert.Equal("0", await server.RedisAsync("PUBLISH", "ws.a", "gone"));
    });

    [Fact]
    public Task Publish_on_the_socket_replies_with_the_receivers_and_binary_survives_as_base64() => fixture.RunAsync(async server =>
    {
        await using var publisher = await WebSocketClient.ConnectAsync(server);
        await using var subscriber = await WebSocketClient.ConnectAsync(server);
        await subscriber.SendAsync(new { op = "subscribe", channels = new[] { "ws.bin" } });
        await subscriber.ReceiveAsync();

        byte[] payload = [0, 1, 0xfe, 0xff, (byte)'\n'];
        await publisher.SendAsync(new { op = "publish", channel = "ws.bin", dataBase64 = Convert.ToBase64String(payload) });
        var reply = await publisher.ReceiveAsync();
        Assert.Equal("published", reply.GetProperty("type").GetString());
        Assert.Equal(1, reply.GetProperty("receivers").GetInt32());
        Assert.Equal(payload, Convert.FromBase64String((await subscriber.ReceiveAsync()).GetProperty("dataBase64").GetString()!));

        // A command may come in a binary message too.
        await publisher.SendTextAsync("{\"op\":\"publish\",\"channel\":\"ws.bin\",\"data\":\"line1\\nline2\"}", WebSocketMessageType.Binary);
        Assert.Equal(1, (await publisher.ReceiveAsync()).GetProperty("receivers").GetInt32());
        Assert.Equal("line1\nline2", (await subscriber.ReceiveAsync()).GetProperty("data").GetString());
    });

    [Theory]
    [InlineData("{\"op\": ", "invalid-json")]
    [InlineData("{\"channels\":[\"x\"]}", "invalid-json")]
    [InlineData("{\"op\":\"dance\"}", "bad-request")]
    [InlineData("{\"op\":\"subscribe\"}", "bad-request")]
    [InlineData("{\"op\":\"publish\",\"data\":\"x\"}", "bad-request")]
    [InlineData("{\"op\":\"publish\",\"channel\":\"c\"}", "bad-request")]
    [InlineData("{\"op\":\"subscribe\",\"channels\":[null]}", "invalid-json")]
    [InlineData("{\"op\":\"punsubscribe\",\"patterns\":[\"a\",null]}", "invalid-json")]
    [InlineData("{\"op\":\"subscribe\",\"channels\":[\"a\",\"a\"],\"channels\":[\"b\"]}", "invalid-json")]
    public Task Bad_commands_get_an_error_and_the_socket_stays_open(string command, string type) => fixture.RunAsync(async server =>
    {
        await using var ws = await WebSocketClient.ConnectAsync(server);
        await ws.SendTextAsync(command);
        var error = await ws.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        var problem = error.GetProperty("problem");
        Assert.Equal("urn:platform:problem:" + type, problem.GetProperty("type").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("ERR ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await ws.SendAsync(new { op = "ping" });
        Assert.Equal("pong", (await ws.ReceiveAsync()).GetProperty("type").GetString());
    });

    [Fact]
    public Task A_message_over_the_limit_closes_the_socket_with_1009() => fixture.RunAsync(async server =>
    {
        await using var ws = await WebSocketClient.ConnectAsync(server);
        await ws.SendTextAsync("{\"op\":\"publish\",\"channel\":\"c\",\"data\":\"" + new string('x', ServerFixture.MaxBodyBytes) + "\"}");
        var (type, _) = await ws.ReceiveRawAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.Socket.CloseStatus);
    });

    [Fact]
    public Task A_plain_request_to_ws_is_a_400_problem() => fixture.RunAsync(async server =>
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "ws"), 400, "bad-request", "ERR /ws takes WebSocket requests only (Upgrade: websocket)"));

    [Fact]
    public Task A_socket_that_goes_away_frees_its_subscriptions() => fixture.RunAsync(async server =>
    {
        var ws = await WebSocketClient.ConnectAsync(server);
        await ws.SendAsync(new { op = "subscribe", channels = new[] { "ws.leaving" } });
        await ws.ReceiveAsync();
        Assert.Equal("ws.leaving\n1", await server.RedisAsync("PUBSUB", "NUMSUB", "ws.leaving"));
        await ws.DisposeAsync();
        await Requests.EventuallyAsync(async () => await server.RedisAsync("PUBSUB", "NUMSUB", "ws.leaving") == "ws.leaving\n0", TimeSpan.FromSeconds(5), "the subscription to end");
    });

    [Fact]
    public Task A_socket_that_does_not_read_is_disconnected_past_the_hard_limit() => fixture.RunAsync(async server =>
    {
        Assert.Equal("OK", await server.RedisAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0"));
        try
        {
            var before = await ServerSentEventTests.DisconnectionsAsync(server);
            await using var stalled = await WebSocketClient.ConnectAsync(server, receiveBufferSize: 4096);
            await stalled.SendAsync(new { op = "subscribe", channels = new[] { "ws.flood" } });
            await stalled.ReceiveAsync();

            await ServerSentEventTests.FloodUntilDisconnectedAsync(server, "ws.flood", before);

            await Requests.EventuallyAsync(async () => await ServerSentEventTests.DisconnectionsAsync(server) > before, TimeSpan.FromSeconds(10), "the disconnection");
            await Requests.EventuallyAsync(async () => await server.RedisAsync("PUBSUB", "NUMSUB", "ws.flood") == "ws.flood\n0", TimeSpan.FromSeconds(5), "the subscription to end");
        }
        finally
        {
            await server.RedisAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    });

    private static void AssertReply(JsonElement reply, string type, string member, string name, int count)
    {
        Assert.Equal(type, reply.GetProperty("type").GetString());
        Assert.Equal(name, reply.GetProperty(member).GetString());
        Assert.Equal(count, reply.GetProperty("count").GetInt32());
    }
}
