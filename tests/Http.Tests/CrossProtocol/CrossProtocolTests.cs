using System.Globalization;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.CrossProtocol;

/// <summary>
/// The HTTP API and the RESP port on the same grains, with real clients on both sides: redis-cli,
/// redis-py (Debian's /usr/bin/python3), SSE and WebSocket.
/// </summary>
public sealed class CrossProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public Task A_redis_cli_publish_reaches_sse_and_websocket_subscribers() => fixture.RunAsync(async server =>
    {
        await using var sse = await SseClient.OpenAsync(server.Http, "channels/subscribe?channel=cross.news");
        await sse.NextAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server);
        await ws.SendAsync(new { op = "psubscribe", patterns = new[] { "cross.*" } });
        await ws.ReceiveAsync();

        Assert.Equal("2", await server.RedisAsync("PUBLISH", "cross.news", "from redis-cli"));

        var sseMessage = await sse.NextAsync();
        Assert.Equal("cross.news", sseMessage.Json.GetProperty("channel").GetString());
        Assert.Equal("from redis-cli", sseMessage.Json.GetProperty("data").GetString());
        var wsMessage = await ws.ReceiveAsync();
        Assert.Equal("pmessage", wsMessage.GetProperty("type").GetString());
        Assert.Equal("from redis-cli", wsMessage.GetProperty("data").GetString());
    });

    [Fact]
    public Task An_http_publish_reaches_a_redis_py_subscriber() => fixture.RunAsync(async server =>
    {
        const string Script = """
            import sys, redis
            r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
            p = r.pubsub()
            p.subscribe("cross.py")
            print(p.get_message(timeout=10)["type"], flush=True)
            for _ in range(2):
                m = p.get_message(timeout=10)
                while m is not None and m["type"] != "message":
                    m = p.get_message(timeout=10)
                print(m["channel"].decode(), m["data"].hex(), flush=True)
            """;
        await using var python = InteractiveProcess.Start(Python, ["-c", Script, server.RespPort.ToString(CultureInfo.InvariantCulture)], RepositoryLayout.Root);
        Assert.Equal("subscribe", await python.ReadLineAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(1, (await server.Http.PostAsync("channels/cross.py/messages", new { data = "hello py" })).GetProperty("receivers").GetInt32());
        var (_, body, _) = await server.Http.SendAsync(HttpMethod.Post, "channels/cross.py/messages", new ByteArrayContent([0, 0xff]));
        Assert.Equal(1, body.GetProperty("receivers").GetInt32());

        Assert.Equal("cross.py " + Convert.ToHexStringLower("hello py"u8), await python.ReadLineAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("cross.py 00ff", await python.ReadLineAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, await python.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    });

    [Fact]
    public Task An_http_consumer_and_a_resp_consumer_of_one_group_never_get_the_same_entry() => fixture.RunAsync(async server =>
    {
        const int Entries = 400;
        await server.RedisAsync("XGROUP", "CREATE", "shared", "grp", "$", "MKSTREAM");
        var ids = new List<string>();
        for (var i = 0; i < Entries; i += 100)
        {
            // One pipeline of 100 XADDs per redis-cli run.
            var commands = string.Concat(Enumerable.Range(i, 100).Select(n => $"XADD shared * n {n}\n"));
            var added = await ExternalProcess.RunAsync("redis-cli", ["-p", server.RespPort.ToString(CultureInfo.InvariantCulture)], input: commands);
            ids.AddRange(added.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Equal(Entries, ids.Count);
        const string Script = """
            import sys, redis
            r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
            seen = []
            while True:
                reply = r.xreadgroup("grp", "resp", {"shared": ">"}, count=3)
                if not reply:
                    break
                seen += [entry_id.decode() for entry_id, _ in reply[0][1]]
            print(" ".join(seen))
            """;
        var resp = ExternalProcess.RunAsync(Python, ["-c", Script, server.RespPort.ToString(CultureInfo.InvariantCulture)]);
        var http = new List<string>();
        while (true)
        {
            var page = await server.Http.PostAsync("streams/shared/groups/grp/consumers/http/read?count=3", new { });
            var got = page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
            if (got.Count == 0)
            {
                break;
            }

            http.AddRange(got);
        }

        var respResult = await resp;
        Assert.Equal(0, respResult.ExitCode);
        var viaResp = respResult.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Assert.Empty(http.Intersect(viaResp));
        Assert.Equal(ids.Order(), http.Concat(viaResp).Order());
        Assert.NotEmpty(http);

        var consumers = await server.Http.GetOkAsync("streams/shared/groups/grp/consumers");
        var pending = consumers.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("pending").GetInt64());
        Assert.Equal(http.Count, pending["http"]);
        Assert.Equal(viaResp.Count, pending.GetValueOrDefault("resp"));
    });

    [Fact]
    public Task Blocked_http_and_resp_consumers_each_get_one_of_two_new_entries() => fixture.RunAsync(async server =>
    {
        await server.RedisAsync("XGROUP", "CREATE", "waited", "grp", "$", "MKSTREAM");
        const string Script = """
            import sys, redis
            r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]))
            print("waiting", flush=True)
            reply = r.xreadgroup("grp", "resp", {"waited": ">"}, count=1, block=20000)
            print(reply[0][1][0][0].decode(), flush=True)
            """;
        await using var python = InteractiveProcess.Start(Python, ["-c", Script, server.RespPort.ToString(CultureInfo.InvariantCulture)], RepositoryLayout.Root);
        Assert.Equal("waiting", await python.ReadLineAsync(TimeSpan.FromSeconds(20)));
        var http = server.Http.PostAsync("streams/waited/groups/grp/consumers/http/read?count=1&block=20000", new { });
        await Requests.EventuallyAsync(
            async () => (await server.RedisAsync("INFO", "clients")).Contains("blocked_clients:1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the RESP consumer to block");
        await Task.Delay(200);

        await server.RedisAsync("XADD", "waited", "1-0", "n", "1");
        await server.RedisAsync("XADD", "waited", "2-0", "n", "2");

        var viaHttp = (await http.WaitAsync(TimeSpan.FromSeconds(20))).GetProperty("entries").EnumerateArray().Single().GetProperty("id").GetString();
        var viaResp = await python.ReadLineAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["1-0", "2-0"], new[] { viaHttp, viaResp }.Order());
    });
}
