using System.Net;
using System.Text.Json;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Groups;

/// <summary>The /streams/{key}/groups endpoints against the real server, checked with redis-cli on the same data.</summary>
public sealed class GroupEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Create_with_mkstream_list_and_the_errors_of_create() => fixture.RunAsync(async server =>
    {
        var (status, created, response) = await server.Http.SendAsync(HttpMethod.Post, "streams/g1/groups", Requests.Json(new { name = "workers", mkStream = true, id = "0" }));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("/streams/g1/groups/workers", response.Headers.Location?.ToString());
        Assert.Equal("workers", created.GetProperty("name").GetString());
        Assert.Equal("0-0", created.GetProperty("lastDeliveredId").GetString());

        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g1/groups", Requests.Json(new { name = "workers", id = "$" })),
            409, "group-exists", "BUSYGROUP Consumer Group name already exists");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/nokey/groups", Requests.Json(new { name = "workers" })),
            404, "no-such-stream", "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g1/groups", Requests.Json(new { name = "other", id = "x" })),
            400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g1/groups", Requests.Json(new { name = "other", entriesRead = -5 })),
            400, "bad-request", "ERR value for ENTRIESREAD must be positive or -1");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Post, "streams/g1/groups", Requests.Json(new { id = "0" })), 400, "invalid-json", "ERR *");

        await server.RedisAsync("XADD", "g1", "1-0", "a", "1");
        await server.RedisAsync("XADD", "g1", "2-0", "a", "2");
        var groups = await server.Http.GetOkAsync("streams/g1/groups");
        var group = Assert.Single(groups.EnumerateArray());
        Assert.Equal("workers", group.GetProperty("name").GetString());
        Assert.Equal(0, group.GetProperty("pending").GetInt64());
        Assert.Equal(2, group.GetProperty("lag").GetInt64());
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/nokey/groups"), 404, "no-such-stream", "ERR no such key");
    });

    [Fact]
    public Task Read_ack_pending_and_consumers() => fixture.RunAsync(async server =>
    {
        await Seed(server, "g2", 4);
        var read = await server.Http.PostAsync("streams/g2/groups/grp/consumers/alice/read?count=3", new { });
        Assert.Equal(["1-0", "2-0", "3-0"], Ids(read.GetProperty("entries")));
        Assert.Equal("1", read.GetProperty("entries")[0].GetProperty("fields").GetProperty("n").GetString());

        var summary = await server.Http.GetOkAsync("streams/g2/groups/grp/pending");
        Assert.Equal(3, summary.GetProperty("count").GetInt64());
        Assert.Equal("1-0", summary.GetProperty("smallest").GetString());
        Assert.Equal("3-0", summary.GetProperty("largest").GetString());
        Assert.Equal("alice", summary.GetProperty("consumers")[0].GetProperty("name").GetString());

        var pending = await server.Http.GetOkAsync("streams/g2/groups/grp/pending/entries?start=-&end=%2B&count=10&consumer=alice");
        Assert.Equal(["1-0", "2-0", "3-0"], Ids(pending.GetProperty("entries")));
        Assert.Equal(1, pending.GetProperty("entries")[0].GetProperty("deliveryCount").GetInt64());

        // Its own history: the pending entries after an ID.
        Assert.Equal(["2-0", "3-0"], Ids((await server.Http.PostAsync("streams/g2/groups/grp/consumers/alice/read?id=1-0", new { })).GetProperty("entries")));

        Assert.Equal(2, (await server.Http.PostAsync("streams/g2/groups/grp/ack", new { ids = new[] { "1-0", "2-0", "9-0" } })).GetProperty("acknowledged").GetInt64());
        Assert.Equal("1", (await server.RedisAsync("XPENDING", "g2", "grp")).Split('\n')[0]);

        var consumers = await server.Http.GetOkAsync("streams/g2/groups/grp/consumers");
        Assert.Equal("alice", consumers[0].GetProperty("name").GetString());
        Assert.Equal(1, consumers[0].GetProperty("pending").GetInt64());

        Assert.Equal(1, (await server.Http.SendAsync(HttpMethod.Delete, "streams/g2/groups/grp/consumers/alice")).Body.GetProperty("pending").GetInt64());
        Assert.Empty((await server.Http.GetOkAsync("streams/g2/groups/grp/consumers")).EnumerateArray());
    });

    [Fact]
    public Task Errors_of_a_missing_group_are_404_nogroup() => fixture.RunAsync(async server =>
    {
        await Seed(server, "g3", 1);
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/nope/consumers/c/read", Requests.Json(new { })),
            404, "no-such-group", "NOGROUP No such key 'g3' or consumer group 'nope' in XREADGROUP with GROUP option");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/nope/ack", Requests.Json(new { ids = new[] { "1-0" } })),
            404, "no-such-group", "NOGROUP No such key 'g3' or consumer group 'nope'");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/g3/groups/nope/pending"), 404, "no-such-group", "NOGROUP No such key 'g3' or consumer group 'nope'");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/g3/groups/nope/pending/entries"), 404, "no-such-group", "NOGROUP No such key 'g3' or consumer group 'nope'");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/g3/groups/nope/consumers"), 404, "no-such-group", "NOGROUP No such consumer group 'nope' for key name 'g3'");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Delete, "streams/g3/groups/nope"), 404, "no-such-group", "NOGROUP No such consumer group 'nope' for key name 'g3'");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/nope/claim", Requests.Json(new { consumer = "c", minIdleMs = 0, ids = new[] { "1-0" } })),
            404, "no-such-group", "NOGROUP No such key 'g3' or consumer group 'nope'");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/nope/autoclaim", Requests.Json(new { consumer = "c", minIdleMs = 0 })),
            404, "no-such-group", "NOGROUP No such key 'g3' or consumer group 'nope'");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Put, "streams/g3/groups/nope/last-delivered-id", Requests.Json(new { id = "0" })),
            404, "no-such-group", "NOGROUP No such consumer group 'nope' for key name 'g3'");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/grp/consumers/c/read?id=bad", Requests.Json(new { })),
            400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/grp/consumers/c/read?block=-1", Requests.Json(new { })),
            400, "bad-request", "ERR timeout is negative");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/grp/ack", Requests.Json(new { ids = new[] { "x" } })),
            400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g3/groups/grp/ack", Requests.Json(new { ids = Array.Empty<string>() })),
            400, "bad-request", "ERR wrong number of arguments for 'xack' command");
    });

    [Fact]
    public Task A_long_poll_waits_for_the_next_xadd_or_times_out_empty() => fixture.RunAsync(async server =>
    {
        await Seed(server, "g4", 0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var empty = await server.Http.PostAsync("streams/g4/groups/grp/consumers/c/read?block=300", new { });
        Assert.Empty(empty.GetProperty("entries").EnumerateArray());
        Assert.True(clock.ElapsedMilliseconds >= 250, $"returned after {clock.ElapsedMilliseconds} ms");

        // Longer than a timer can wait (about 49.7 days): as good as forever, as in Redis.
        var waiting = server.Http.PostAsync("streams/g4/groups/grp/consumers/c/read?block=5000000000", new { });
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await server.RedisAsync("XADD", "g4", "7-0", "late", "1");
        var arrived = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["7-0"], Ids(arrived.GetProperty("entries")));
        Assert.Equal("1", (await server.RedisAsync("XPENDING", "g4", "grp")).Split('\n')[0]);
    });

    [Fact]
    public Task A_long_poll_whose_client_leaves_takes_nothing_and_one_whose_group_goes_gets_404() => fixture.RunAsync(async server =>
    {
        await Seed(server, "g5", 0);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                server.Http.PostAsync("streams/g5/groups/grp/consumers/gone/read?block=0", Requests.Json(new { }), cancel.Token));
        }

        // The abandoned poll was withdrawn: the next entry goes to the RESP consumer.
        await Task.Delay(200);
        await server.RedisAsync("XADD", "g5", "1-0", "a", "1");
        Assert.Contains("1-0", await server.RedisAsync("XREADGROUP", "GROUP", "grp", "resp", "STREAMS", "g5", ">"), StringComparison.Ordinal);

        var blocked = server.Http.SendAsync(HttpMethod.Post, "streams/g5/groups/grp/consumers/c/read?block=10000", Requests.Json(new { }));
        await Task.Delay(300);
        await server.RedisAsync("XGROUP", "DESTROY", "g5", "grp");
        Requests.AssertProblem(
            await blocked.WaitAsync(TimeSpan.FromSeconds(10)), 404, "no-such-group", "NOGROUP the consumer group this client was blocked on no longer exists");
    });

    [Fact]
    public Task Claim_and_autoclaim_move_entries_between_consumers() => fixture.RunAsync(async server =>
    {
        await Seed(server, "g6", 3);
        await server.Http.PostAsync("streams/g6/groups/grp/consumers/alice/read", new { });

        var claimed = await server.Http.PostAsync("streams/g6/groups/grp/claim", new { consumer = "bob", minIdleMs = 0, ids = new[] { "1-0" } });
        Assert.Equal(["1-0"], Ids(claimed.GetProperty("entries")));
        var justId = await server.Http.PostAsync("streams/g6/groups/grp/claim", new { consumer = "bob", minIdleMs = 0, ids = new[] { "2-0" }, justId = true, retryCount = 5 });
        Assert.Equal(["2-0"], justId.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.False(justId.TryGetProperty("entries", out _));
        Assert.Empty((await server.Http.PostAsync("streams/g6/groups/grp/claim", new { consumer = "bob", minIdleMs = 3_600_000, ids = new[] { "3-0" } })).GetProperty("entries").EnumerateArray());
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g6/groups/grp/claim", Requests.Json(new { consumer = "bob", minIdleMs = 0, ids = new[] { "3-0" }, idleMs = 1, timeMs = 1 })),
            400, "bad-request", "ERR give either 'idleMs' or 'timeMs', not both");

        await server.RedisAsync("XDEL", "g6", "3-0");
        var auto = await server.Http.PostAsync("streams/g6/groups/grp/autoclaim", new { consumer = "carol", minIdleMs = 0, count = 10 });
        Assert.Equal(["1-0", "2-0"], Ids(auto.GetProperty("entries")));
        Assert.Equal(["3-0"], auto.GetProperty("deleted").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("0-0", auto.GetProperty("next").GetString());
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/g6/groups/grp/autoclaim", Requests.Json(new { consumer = "c", minIdleMs = 0, count = 0 })),
            400, "bad-request", "ERR COUNT must be > 0");

        var pending = await server.Http.GetOkAsync("streams/g6/groups/grp/pending/entries");
        Assert.All(pending.GetProperty("entries").EnumerateArray(), e => Assert.Equal("carol", e.GetProperty("consumer").GetString()));
    });

    [Fact]
    public Task Set_id_and_destroy() => fixture.RunAsync(async server =>
    {
        await Seed(server, "g7", 3);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(HttpMethod.Put, "streams/g7/groups/grp/last-delivered-id", Requests.Json(new { id = "2-0" }))).Status);
        Assert.Equal(["3-0"], Ids((await server.Http.PostAsync("streams/g7/groups/grp/consumers/c/read", new { })).GetProperty("entries")));
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(HttpMethod.Put, "streams/g7/groups/grp/last-delivered-id", Requests.Json(new { id = "$" }))).Status);
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Put, "streams/g7/groups/grp/last-delivered-id", Requests.Json(new { id = "x" })),
            400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Put, "streams/nokey/groups/grp/last-delivered-id", Requests.Json(new { id = "0" })),
            404, "no-such-stream", "ERR The XGROUP subcommand requires the key to exist. *");

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(HttpMethod.Delete, "streams/g7/groups/grp")).Status);
        Assert.Equal(string.Empty, await server.RedisAsync("XINFO", "GROUPS", "g7"));
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Delete, "streams/nokey/groups/grp"), 404, "no-such-stream", "ERR The XGROUP subcommand requires the key to exist. *");
    });

    private static async Task Seed(PlatformServer server, string key, int entries)
    {
        await server.RedisAsync("XGROUP", "CREATE", key, "grp", "0", "MKSTREAM");
        for (var i = 1; i <= entries; i++)
        {
            await server.RedisAsync("XADD", key, $"{i}-0", "n", $"{i}");
        }
    }

    private static List<string?> Ids(JsonElement entries) => [.. entries.EnumerateArray().Select(e => e.GetProperty("id").GetString())];
}

