using System.Net;
using System.Text.Json;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Streams;

/// <summary>The /streams/{key} endpoints against the real server, checked against redis-cli on the same data.</summary>
public sealed class StreamEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Add_takes_auto_explicit_and_partial_ids_and_redis_cli_sees_the_entries() => fixture.RunAsync(async server =>
    {
        var (status, body, response) = await server.Http.SendAsync(HttpMethod.Post, "streams/add/entries", Requests.Json(new { fields = new { a = "1", b = "é" } }));
        Assert.Equal(HttpStatusCode.Created, status);
        var auto = body.GetProperty("id").GetString()!;
        Assert.Equal($"/streams/add/entries/{auto}", response.Headers.Location?.ToString());

        var explicitId = await server.Http.PostAsync("streams/add/entries", new { id = "99999999999999-5", fields = new { c = "3" } }, HttpStatusCode.Created);
        Assert.Equal("99999999999999-5", explicitId.GetProperty("id").GetString());
        var partial = await server.Http.PostAsync("streams/add/entries", new { id = "99999999999999-*", fields = new { d = "4" } }, HttpStatusCode.Created);
        Assert.Equal("99999999999999-6", partial.GetProperty("id").GetString());

        Assert.Equal("3", await server.RedisAsync("XLEN", "add"));
        Assert.Equal($"{auto}\na\n1\nb\né\n99999999999999-5\nc\n3\n99999999999999-6\nd\n4", await server.RedisAsync("XRANGE", "add", "-", "+"));
    });

    [Fact]
    public Task Add_errors_are_the_resp_errors_with_their_statuses() => fixture.RunAsync(async server =>
    {
        await server.Http.PostAsync("streams/adderr/entries", new { id = "5-5", fields = new { a = "1" } }, HttpStatusCode.Created);
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { id = "5-5", fields = new { a = "1" } })),
            409, "id-too-small", "ERR The ID specified in XADD is equal or smaller than the target stream top item");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/fresh/entries", Requests.Json(new { id = "0-0", fields = new { a = "1" } })),
            400, "invalid-stream-id", "ERR The ID specified in XADD must be greater than 0-0");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { id = "banana", fields = new { a = "1" } })),
            400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { fields = new { } })),
            400, "bad-request", "ERR wrong number of arguments for 'xadd' command");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { fields = new { a = "1" }, fieldsBase64 = new[] { new[] { "YQ==", "MQ==" } } })),
            400, "bad-request", "ERR give either 'fields' or 'fieldsBase64', not both");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { fieldsBase64 = new[] { new[] { "YQ==" } } })),
            400, "bad-request", "ERR each item of 'fieldsBase64' must be a [name, value] pair");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/missing/entries", Requests.Json(new { fields = new { a = "1" }, noMakeStream = true })),
            404, "no-such-stream", "ERR no such key (noMakeStream was given)");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { fields = new { a = "1" }, trim = new { maxLen = 1, minId = "1" } })),
            400, "bad-request", "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { fields = new { a = "1" }, trim = new { maxLen = 1, limit = 10 } })),
            400, "bad-request", "ERR syntax error, LIMIT cannot be used without the special ~ option");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.Json(new { fields = new { a = "1" }, trim = new { maxLen = -1 } })),
            400, "bad-request", "ERR The MAXLEN argument must be >= 0.");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.RawJson("{\"fields\": {\"a\": 1}}")),
            400, "invalid-json", "ERR *");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.RawJson("{\"fields\": {\"a\": \"1\"")),
            400, "invalid-json", "ERR *");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.RawJson("{\"fields\": {\"a\": \"1\", \"a\": \"2\"}}")),
            400, "invalid-json", "ERR *");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", Requests.RawJson("{\"fields\": {\"a\": null}}")),
            400, "invalid-json", "ERR the value of field 'a' is null: values are strings");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", new StringContent("a=1")),
            415, "unsupported-media-type", "ERR POST /streams/adderr/entries does not take a body of type 'text/plain; charset=utf-8'");
        var bogusCharset = new StringContent("{\"fields\": {\"a\": \"1\"}}");
        bogusCharset.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=bogus");
        Requests.AssertProblem(
            await server.Http.SendAsync(HttpMethod.Post, "streams/adderr/entries", bogusCharset),
            415, "unsupported-media-type", "ERR *");
        Assert.Equal("1", await server.RedisAsync("XLEN", "adderr"));
    });

    [Fact]
    public Task Add_trims_with_maxlen_and_minid() => fixture.RunAsync(async server =>
    {
        for (var i = 1; i <= 5; i++)
        {
            await server.Http.PostAsync("streams/trimmed/entries", new { id = $"{i}-0", fields = new { n = $"{i}" }, trim = new { maxLen = 3 } }, HttpStatusCode.Created);
        }

        Assert.Equal("3", await server.RedisAsync("XLEN", "trimmed"));
        await server.Http.PostAsync("streams/trimmed/entries", new { id = "6-0", fields = new { n = "6" }, trim = new { minId = "5" } }, HttpStatusCode.Created);
        Assert.Equal("5-0\n6-0", string.Join('\n', (await server.RedisAsync("XRANGE", "trimmed", "-", "+")).Split('\n').Where(l => l.Contains('-', StringComparison.Ordinal))));
    });

    [Fact]
    public Task Fields_that_are_not_utf8_or_repeat_come_as_base64_pairs_both_ways() => fixture.RunAsync(async server =>
    {
        var pairs = new[] { new[] { B64("k"), B64("v1") }, new[] { B64("k"), B64("v2") }, new[] { Convert.ToBase64String([0xff]), Convert.ToBase64String([0, 1]) } };
        await server.Http.PostAsync("streams/binary/entries", new { id = "1-0", fieldsBase64 = pairs }, HttpStatusCode.Created);
        await server.Http.PostAsync("streams/binary/entries", new { id = "2-0", fieldsBase64 = new[] { new[] { B64("name"), B64("text") } } }, HttpStatusCode.Created);

        var entries = (await server.Http.GetOkAsync("streams/binary/entries")).GetProperty("entries");
        var first = entries[0];
        Assert.False(first.TryGetProperty("fields", out _));
        Assert.Equal(pairs, first.GetProperty("fieldsBase64").Deserialize<string[][]>());
        Assert.Equal("text", entries[1].GetProperty("fields").GetProperty("name").GetString());

        // redis-cli sees the same fields, in order.
        Assert.Equal(["1-0", "k", "v1", "k", "v2"], (await server.RedisAsync("XRANGE", "binary", "1-0", "1-0")).Split('\n')[..5]);
    });

    [Fact]
    public Task Range_pages_forward_and_backward_with_next_cursors() => fixture.RunAsync(async server =>
    {
        for (var i = 1; i <= 7; i++)
        {
            await server.RedisAsync("XADD", "paged", $"{i}-0", "n", $"{i}");
        }

        Assert.Equal(["1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0"], await PagesAsync(server, "streams/paged/entries?count=3", "start"));
        Assert.Equal(["7-0", "6-0", "5-0", "4-0", "3-0", "2-0", "1-0"], await PagesAsync(server, "streams/paged/entries?count=3&reverse=true", "end"));
        Assert.Equal(["3-0", "4-0"], await PagesAsync(server, "streams/paged/entries?start=(2-0&end=4", "start"));
        Assert.Empty(await PagesAsync(server, "streams/nothing/entries", "start"));
        Assert.Empty((await server.Http.GetOkAsync("streams/paged/entries?count=0")).GetProperty("entries").EnumerateArray());

        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/paged/entries?start=x"), 400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/paged/entries?end=(0-0"), 400, "invalid-stream-id", "ERR invalid end ID for the interval");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/paged/entries?count=-1"), 400, "bad-request", "ERR 'count' must be >= 0");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/paged/entries?count=many"), 400, "bad-request", "ERR *");
    });

    [Fact]
    public Task One_entry_can_be_read_and_deleted() => fixture.RunAsync(async server =>
    {
        await server.RedisAsync("XADD", "single", "1-0", "a", "1");
        await server.RedisAsync("XADD", "single", "2-0", "b", "2");
        var entry = await server.Http.GetOkAsync("streams/single/entries/2-0");
        Assert.Equal("2", entry.GetProperty("fields").GetProperty("b").GetString());
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/single/entries/3-0"), 404, "no-such-entry", "ERR no entry 3-0 in stream 'single'");

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(HttpMethod.Delete, "streams/single/entries/1-0")).Status);
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Delete, "streams/single/entries/1-0"), 404, "no-such-entry", "ERR no entry 1-0 in stream 'single'");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Delete, "streams/single/entries/x"), 400, "invalid-stream-id", "ERR Invalid stream ID specified as stream command argument");
        Assert.Equal("1", await server.RedisAsync("XLEN", "single"));
    });

    [Fact]
    public Task Info_length_trim_and_delete() => fixture.RunAsync(async server =>
    {
        for (var i = 1; i <= 4; i++)
        {
            await server.RedisAsync("XADD", "life", $"{i}-0", "n", $"{i}");
        }

        var info = await server.Http.GetOkAsync("streams/life");
        Assert.Equal(4, info.GetProperty("length").GetInt64());
        Assert.Equal("4-0", info.GetProperty("lastGeneratedId").GetString());
        Assert.Equal("1-0", info.GetProperty("firstEntry").GetProperty("id").GetString());
        Assert.Equal("4", info.GetProperty("lastEntry").GetProperty("fields").GetProperty("n").GetString());
        Assert.Equal(4, (await server.Http.GetOkAsync("streams/life/length")).GetProperty("length").GetInt64());

        Assert.Equal(2, (await server.Http.PostAsync("streams/life/trim", new { maxLen = 2 })).GetProperty("removed").GetInt64());
        Assert.Equal(1, (await server.Http.PostAsync("streams/life/trim", new { minId = "4" })).GetProperty("removed").GetInt64());
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Post, "streams/life/trim", Requests.Json(new { })), 400, "bad-request", "ERR syntax error, XTRIM must be called with a trimming strategy");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Post, "streams/life/trim", Requests.Json(new { limit = 5 })), 400, "bad-request", "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        Assert.Equal("1", await server.RedisAsync("XLEN", "life"));

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.SendAsync(HttpMethod.Delete, "streams/life")).Status);
        Assert.Equal("0", await server.RedisAsync("EXISTS", "life"));
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Delete, "streams/life"), 404, "no-such-stream", "ERR no such key");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/life"), 404, "no-such-stream", "ERR no such key");
        Assert.Equal(0, (await server.Http.GetOkAsync("streams/life/length")).GetProperty("length").GetInt64());
    });

    [Fact]
    public Task The_database_is_chosen_with_db() => fixture.RunAsync(async server =>
    {
        await server.Http.PostAsync("streams/numbered/entries?db=3", new { fields = new { a = "1" } }, HttpStatusCode.Created);
        Assert.Equal("1", await server.RedisAsync("-n", "3", "XLEN", "numbered"));
        Assert.Equal("0", await server.RedisAsync("XLEN", "numbered"));
        Assert.Equal(1, (await server.Http.GetOkAsync("streams/numbered/length?db=3")).GetProperty("length").GetInt64());
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/numbered/length?db=16"), 400, "bad-request", "ERR DB index is out of range");
        Requests.AssertProblem(await server.Http.SendAsync(HttpMethod.Get, "streams/numbered/length?db=-1"), 400, "bad-request", "ERR DB index is out of range");
    });

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    // Follows the next cursors to the end; the IDs in order.
    private static async Task<List<string>> PagesAsync(PlatformServer server, string path, string cursor)
    {
        var ids = new List<string>();
        var next = path;
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 20, "Too many pages.");
            var page = await server.Http.GetOkAsync(next);
            ids.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            var token = page.GetProperty("next");
            next = token.ValueKind == JsonValueKind.Null ? null : $"{path}&{cursor}={Uri.EscapeDataString(token.GetString()!)}";
        }

        return ids;
    }
}
