using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Streams;

/// <summary>GET /streams/{key}/tail: new entries as events whose id is the entry ID, and exact resumption.</summary>
public sealed class StreamTailTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task A_tail_starts_at_the_end_and_shows_each_xadd_with_its_id() => fixture.RunAsync(async server =>
    {
        await server.RedisAsync("XADD", "tailed", "1-0", "old", "1");
        await using var tail = await SseClient.OpenAsync(server.Http, "streams/tailed/tail");
        Assert.Equal("text/event-stream", tail.Response.Content.Headers.ContentType?.MediaType);
        var ready = await tail.NextAsync();
        Assert.Equal("ready", ready.Name);
        Assert.Equal("1-0", ready.Id);
        Assert.Equal("1-0", ready.Json.GetProperty("after").GetString());

        await server.RedisAsync("XADD", "tailed", "2-0", "new", "2");
        var entry = await tail.NextAsync();
        Assert.Equal("entry", entry.Name);
        Assert.Equal("2-0", entry.Id);
        Assert.Equal("2", entry.Json.GetProperty("fields").GetProperty("new").GetString());

        await server.Http.PostAsync("streams/tailed/entries", new { id = "3-0", fields = new { http = "3" } }, System.Net.HttpStatusCode.Created);
        Assert.Equal("3-0", (await tail.NextAsync()).Id);
    });

    [Fact]
    public Task After_zero_replays_the_whole_stream_then_follows() => fixture.RunAsync(async server =>
    {
        for (var i = 1; i <= 5; i++)
        {
            await server.RedisAsync("XADD", "replayed", $"{i}-0", "n", $"{i}");
        }

        await using var tail = await SseClient.OpenAsync(server.Http, "streams/replayed/tail?after=0&count=2");
        Assert.Equal("0-0", (await tail.NextAsync()).Id);
        var ids = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await tail.NextAsync()).Id);
        }

        Assert.Equal(["1-0", "2-0", "3-0", "4-0", "5-0"], ids);
        await tail.WaitForCommentAsync(TimeSpan.FromSeconds(5));
    });

    [Fact]
    public Task A_client_that_reconnects_with_last_event_id_gets_exactly_the_missed_entries() => fixture.RunAsync(async server =>
    {
        await server.RedisAsync("XADD", "resumed", "1-0", "n", "1");
        string lastSeen;
        await using (var tail = await SseClient.OpenAsync(server.Http, "streams/resumed/tail"))
        {
            await tail.NextAsync();
            for (var i = 2; i <= 4; i++)
            {
                await server.RedisAsync("XADD", "resumed", $"{i}-0", "n", $"{i}");
            }

            Assert.Equal("2-0", (await tail.NextAsync()).Id);
            lastSeen = (await tail.NextAsync()).Id!;
            Assert.Equal("3-0", lastSeen);

            // Disconnected mid-tail, with 4-0 sent (or not) but not read.
        }

        for (var i = 5; i <= 7; i++)
        {
            await server.RedisAsync("XADD", "resumed", $"{i}-0", "n", $"{i}");
        }

        // As EventSource reconnects: the same URL, with Last-Event-ID (which wins over ?after).
        await using var again = await SseClient.OpenAsync(server.Http, "streams/resumed/tail?after=1-0", lastEventId: lastSeen);
        Assert.Equal("3-0", (await again.NextAsync()).Id);
        var missed = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            missed.Add((await again.NextAsync()).Id);
        }

        Assert.Equal(["4-0", "5-0", "6-0", "7-0"], missed);
        await server.RedisAsync("XADD", "resumed", "8-0", "n", "8");
        Assert.Equal("8-0", (await again.NextAsync()).Id);
    });

    [Fact]
    public Task A_tail_of_a_stream_that_does_not_exist_yet_waits_for_its_first_entry() => fixture.RunAsync(async server =>
    {
        await using var tail = await SseClient.OpenAsync(server.Http, "streams/unborn/tail");
        Assert.Equal("0-0", (await tail.NextAsync()).Id);
        await server.RedisAsync("XADD", "unborn", "*", "first", "1");
        var entry = await tail.NextAsync();
        Assert.Equal("1", entry.Json.GetProperty("fields").GetProperty("first").GetString());
    });

    [Fact]
    public Task A_bad_position_is_a_400_problem() => fixture.RunAsync(async server =>
    {
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/s/tail?after=nope"), 400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/s/tail?count=0"), 400, "bad-request", "ERR 'count' must be > 0");
    });
}
