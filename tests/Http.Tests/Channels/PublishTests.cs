using System.Net;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Channels;

/// <summary>POST /channels/{channel}/messages and GET /channels, through the real server.</summary>
public sealed class PublishTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task A_raw_body_is_published_as_is_and_the_reply_counts_receivers_on_every_protocol() => fixture.RunAsync(async server =>
    {
        await using var sse = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=raw&pattern=ra*");
        Assert.Equal("subscribed", (await sse.NextAsync()).Name);

        var (status, body, _) = await server.Http.SendAsync(HttpMethod.Post, "channels/raw/messages", new ByteArrayContent([1, 2, 0xff]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("receivers").GetInt32());

        var message = await sse.NextAsync();
        Assert.Equal("message", message.Name);
        Assert.Equal("raw", message.Json.GetProperty("channel").GetString());
        Assert.Equal(Convert.ToBase64String([1, 2, 0xff]), message.Json.GetProperty("dataBase64").GetString());
        Assert.False(message.Json.TryGetProperty("data", out _));
        var pattern = await sse.NextAsync();
        Assert.Equal("pmessage", pattern.Name);
        Assert.Equal("ra*", pattern.Json.GetProperty("pattern").GetString());
    });

    [Fact]
    public Task A_json_body_carries_text_or_base64() => fixture.RunAsync(async server =>
    {
        await using var sse = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=json%20channel");
        await sse.NextAsync();

        Assert.Equal(1, (await server.Http.PostAsync("channels/json%20channel/messages", new { data = "héllo" })).GetProperty("receivers").GetInt32());
        Assert.Equal(1, (await server.Http.PostAsync("channels/json%20channel/messages", new { dataBase64 = "AP8=" })).GetProperty("receivers").GetInt32());

        Assert.Equal("héllo", (await sse.NextAsync()).Json.GetProperty("data").GetString());
        Assert.Equal("AP8=", (await sse.NextAsync()).Json.GetProperty("dataBase64").GetString());
    });

    [Fact]
    public Task Nobody_listening_counts_zero() => fixture.RunAsync(async server =>
        Assert.Equal(0, (await server.Http.PostAsync("channels/nobody/messages", new { data = "x" })).GetProperty("receivers").GetInt32()));

    [Theory]
    [InlineData("{\"data\":\"a\",\"dataBase64\":\"YQ==\"}", "bad-request", "ERR give exactly one of 'data' (UTF-8 text) and 'dataBase64'")]
    [InlineData("{}", "bad-request", "ERR give exactly one of 'data' (UTF-8 text) and 'dataBase64'")]
    [InlineData("{\"dataBase64\":\"not base64!\"}", "bad-request", "ERR 'dataBase64' is not valid base64")]
    [InlineData("{\"data\": ", "invalid-json", "ERR *")]
    [InlineData("[1, 2]", "invalid-json", "ERR *")]
    [InlineData("", "invalid-json", "ERR *")]
    public Task Bad_json_is_a_400_problem(string json, string type, string detail) => fixture.RunAsync(async server =>
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Post, "channels/c/messages", Requests.RawJson(json)), 400, type, detail));

    [Fact]
    public Task A_body_over_the_limit_is_a_413_problem_announced_or_streamed() => fixture.RunAsync(async server =>
    {
        var big = new byte[ServerFixture.MaxBodyBytes + 1];
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "channels/c/messages", new ByteArrayContent(big)),
            413, "body-too-large", "ERR the request body is larger than the limit (http:MaxBodyBytes)");

        // Chunked: no length announced, the limit is found while reading.
        var streamed = new StreamContent(new MemoryStream(big));
        streamed.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "channels/c/messages") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // A body at the limit passes.
        var (status, _, _) = await server.Http.SendAsync(HttpMethod.Post, "channels/c/messages", new ByteArrayContent(new byte[ServerFixture.MaxBodyBytes]));
        Assert.Equal(HttpStatusCode.OK, status);
    });

    [Fact]
    public Task The_channel_list_shows_subscribers_and_patterns() => fixture.RunAsync(async server =>
    {
        await using var first = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=listed.a&channel=listed.b");
        await using var second = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=listed.a&pattern=listed.*");
        await first.NextAsync();
        await second.NextAsync();

        var list = await server.Http.GetOkAsync("channels?pattern=listed.*");
        var channels = list.GetProperty("channels").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("subscribers").GetInt32())).ToList();
        Assert.Equal([("listed.a", 2), ("listed.b", 1)], channels);
        Assert.True(list.GetProperty("patterns").GetInt32() >= 1);
        Assert.Equal("2", (await server.RedisAsync("PUBSUB", "NUMSUB", "listed.a")).Split('\n')[1]);
    });

    [Fact]
    public Task A_slash_in_a_channel_is_sent_as_percent_2F() => fixture.RunAsync(async server =>
    {
        await using var subscriber = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=a/b");
        await subscriber.NextAsync();
        Assert.Equal(1, (await server.Http.PostAsync("channels/a%2Fb/messages", new { data = "x" })).GetProperty("receivers").GetInt32());
        Assert.Equal("a/b", (await subscriber.NextAsync()).Json.GetProperty("channel").GetString());
    });

    [Fact]
    public Task Unknown_paths_and_methods_are_problems_too() => fixture.RunAsync(async server =>
    {
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "nowhere"), 404, "not-found", "ERR no endpoint answers GET /nowhere");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Put, "channels/c/messages"), 405, "method-not-allowed", "ERR no endpoint answers PUT /channels/c/messages");
    });
}
