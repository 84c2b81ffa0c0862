using System.Globalization;
using System.Text.Json;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// Real clients subscribing to our server: redis-py (<c>pubsub()</c>, <c>get_message</c>,
/// <c>listen()</c>, handlers), ioredis (RESP2 and RESP3: the 'message', 'pmessage' and 'smessage'
/// events), node-redis (RESP3 push frames) and <c>redis-cli SUBSCRIBE</c>. Each runs the same
/// script against ours and Redis: what it saw must be the same, and right.
/// </summary>
public sealed class PubSubClientTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public Task Redis_py_subscribes_receives_and_counts_as_on_redis() => fixture.RunAsync(async () =>
    {
        var script = Path.Combine(RepositoryLayout.PythonClients, "pubsub_py_check.py");
        var ours = await RunAsync(Python, [script], fixture.Ours.Port);
        var redis = await RunAsync(Python, [script], fixture.Redis.Port);

        var result = JsonDocument.Parse(ours).RootElement;
        Assert.Equal("[2,1,0,1]", Json(result, "publish_news", "publish_alerts", "publish_nobody", "publish_pattern_only"));
        Assert.Equal("[\"subscribe\",\"subscribe\",\"psubscribe\"]", Types(result.GetProperty("confirmations")));
        Assert.Equal("[\"message\",\"pmessage\",\"message\",\"pmessage\"]", Types(result.GetProperty("messages")));
        Assert.Equal("n*", result.GetProperty("messages")[1].GetProperty("pattern").GetString());
        Assert.Equal("[\"00ff0d0a\",\"00ff0d0a\"]", result.GetProperty("binary").GetRawText());
        Assert.Equal("{\"count\":100,\"in_order\":true,\"publish_counts\":[1]}", result.GetProperty("listen").GetRawText());
        Assert.Equal("[\"h1\",\"h1\",\"h2\"]", result.GetProperty("handled").GetRawText());
        Assert.Equal(0, result.GetProperty("publish_after_unsubscribe").GetInt32());

        // PING while subscribed: redis-py reads Redis's ["pong", ""] as a message of type pong.
        Assert.Equal("{\"channel\":null,\"data\":\"\",\"pattern\":null,\"type\":\"pong\"}", result.GetProperty("ping").GetRawText());
        Assert.Equal(0, result.GetProperty("numpat_after_close").GetInt32());
        Assert.Equal("[[\"alerts\",0],[\"digits\",0],[\"handled\",0]]", result.GetProperty("numsub_after_close").GetRawText());
        Assert.Equal(Pretty(redis), Pretty(ours));
    });

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public Task Ioredis_subscriber_gets_message_pmessage_and_smessage_events_as_on_redis(int protocol) => fixture.RunAsync(async () =>
    {
        var arguments = new[] { "ioredis-pubsub-check.js" };
        var ours = await RunNodeAsync(arguments, fixture.Ours.Port, protocol);
        var redis = await RunNodeAsync(arguments, fixture.Redis.Port, protocol);

        var result = JsonDocument.Parse(ours).RootElement;
        Assert.Equal("[2,3,1]", Json(result, "subscribe", "psubscribe", "ssubscribe"));
        Assert.Equal("[2,1,0,1,1,0]", Json(result, "publishNews", "publishAlerts", "publishZilch", "publishPatternOnly", "spublish", "spublishToChannel"));
        Assert.Equal(
            "[[\"message\",\"news\",\"hello\"],[\"pmessage\",\"n*\",\"news\",\"hello\"],[\"message\",\"alerts\",\"fire\"],[\"pmessage\",\"n*\",\"nope\",\"y\"],[\"smessage\",\"shard\",\"sharded\"]]",
            result.GetProperty("events").GetRawText());
        Assert.Equal("[\"message\",\"6e657773\",\"00ff0d0a\"]", result.GetProperty("binary").GetRawText());
        Assert.True(result.GetProperty("inOrder").GetBoolean(), ours);
        Assert.Equal("[1]", result.GetProperty("pipelinedCounts").GetRawText());
        Assert.Equal(0, result.GetProperty("publishAfter").GetInt32());
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());
        Assert.Equal(Pretty(redis), Pretty(ours));
    });

    [Fact]
    public Task Node_redis_subscriber_receives_RESP3_pushes_as_on_redis() => fixture.RunAsync(async () =>
    {
        var arguments = new[] { "node-redis-pubsub-check.js" };
        var ours = await RunNodeAsync(arguments, fixture.Ours.Port, protocol: null);
        var redis = await RunNodeAsync(arguments, fixture.Redis.Port, protocol: null);

        var result = JsonDocument.Parse(ours).RootElement;
        Assert.Equal(3, result.GetProperty("hello").GetInt32());
        Assert.Equal("[2,1,0,1,1,0,1]", Json(result, "publishNews", "publishAlerts", "publishZilch", "publishPatternOnly", "sPublish", "sPublishToChannel", "publishBinary"));
        Assert.Equal(
            "[[\"message\",\"news\",\"hello\"],[\"pmessage\",\"n*\",\"news\",\"hello\"],[\"message\",\"alerts\",\"fire\"],[\"pmessage\",\"n*\",\"nope\",\"y\"],[\"smessage\",\"shard\",\"sharded\"],[\"buffer\",\"62696e\",\"00ff0d0a\"]]",
            result.GetProperty("events").GetRawText());
        Assert.True(result.GetProperty("inOrder").GetBoolean(), ours);
        Assert.Equal("{\"news\":1,\"alerts\":1,\"bin\":1,\"zilch\":0}", result.GetProperty("numsub").GetRawText());
        Assert.Equal("{\"news\":0,\"alerts\":0,\"bin\":0}", result.GetProperty("numsubAfter").GetRawText());
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());
        Assert.Equal(Pretty(redis), Pretty(ours));
    });

    [Theory]
    [InlineData("SUBSCRIBE", false)]
    [InlineData("SUBSCRIBE", true)]
    [InlineData("PSUBSCRIBE", false)]
    [InlineData("SSUBSCRIBE", false)]
    public Task Redis_cli_subscribed_prints_the_messages_it_prints_for_redis(string command, bool resp3) => fixture.RunAsync(async () =>
    {
        var ours = await RedisCliSubscriberAsync(fixture.Ours, command, resp3);
        var redis = await RedisCliSubscriberAsync(fixture.Redis, command, resp3);
        Assert.Equal(redis, ours);
    });

    [Fact]
    public Task Redis_cli_SUBSCRIBE_prints_each_message() => fixture.RunAsync(async () =>
    {
        var lines = await RedisCliSubscriberAsync(fixture.Ours, "SUBSCRIBE", resp3: false);
        Assert.Equal(
            ["subscribe", "cli-a", "1", "subscribe", "cli-b", "2", "message", "cli-a", "hello world", "message", "cli-b", "", "message", "cli-a", "\u00e9 \"quoted\""],
            lines);
    });

    // Starts `redis-cli [-3] <command> <names>`, waits for its confirmations, publishes three
    // messages from a connection of the test's own, and returns every line it printed.
    private static async Task<List<string>> RedisCliSubscriberAsync(ServerProcess server, string command, bool resp3)
    {
        var (names, publish) = command switch
        {
            "PSUBSCRIBE" => (new[] { "cli-*" }, "PUBLISH"),
            "SSUBSCRIBE" => (["cli-a", "cli-b"], "SPUBLISH"),
            _ => (["cli-a", "cli-b"], "PUBLISH"),
        };
        var arguments = new List<string> { "-p", server.Port.ToString(CultureInfo.InvariantCulture) };
        if (resp3)
        {
            arguments.Add("-3");
        }

        arguments.Add(command);
        arguments.AddRange(names);
        await using var cli = InteractiveProcess.Start("redis-cli", arguments, RepositoryLayout.Root);
        var lines = new List<string>();
        for (var i = 0; i < names.Length * 3; i++)
        {
            lines.Add(await cli.ReadLineAsync(TimeSpan.FromSeconds(20)) ?? throw new InvalidOperationException($"redis-cli exited:\n{cli.Output}"));
        }

        await using var publisher = await server.ConnectAsync();
        foreach (var (channel, message) in new[] { ("cli-a", "hello world"), ("cli-b", ""), ("cli-a", "\u00c3\u00a9 \"quoted\"") })
        {
            var reply = await publisher.SendAndReadAsync(publish, channel, message);
            Assert.Equal(":1\r\n", reply);
        }

        var expected = command == "PSUBSCRIBE" ? 12 : 9;
        for (var i = 0; i < expected; i++)
        {
            lines.Add(await cli.ReadLineAsync(TimeSpan.FromSeconds(20)) ?? throw new InvalidOperationException($"redis-cli exited:\n{cli.Output}"));
        }

        return lines;
    }

    private static async Task<string> RunNodeAsync(string[] arguments, int port, int? protocol)
    {
        var directory = RepositoryLayout.NodeClients;
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            throw new InvalidOperationException($"{directory}/node_modules is missing: run `npm ci` there (tests/run.sh does).");
        }

        var all = arguments.Append(port.ToString(CultureInfo.InvariantCulture));
        if (protocol is { } p)
        {
            all = all.Append(p.ToString(CultureInfo.InvariantCulture));
        }

        var result = await ExternalProcess.RunAsync("node", all, workingDirectory: directory);
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"node {string.Join(' ', arguments)} on port {port}: {result}");
        return result.StandardOutput.Trim();
    }

    private static async Task<string> RunAsync(string program, string[] arguments, int port)
    {
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is missing (apt-get install -y python3-redis).");
        }

        var result = await ExternalProcess.RunAsync(program, arguments.Append(port.ToString(CultureInfo.InvariantCulture)));
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"{string.Join(' ', arguments)} on port {port}: {result}");
        return result.StandardOutput.Trim();
    }

    // The named properties' raw JSON, as one JSON array.
    private static string Json(JsonElement result, params string[] names) =>
        "[" + string.Join(",", names.Select(n => result.GetProperty(n).GetRawText())) + "]";

    private static string Types(JsonElement messages) =>
        "[" + string.Join(",", messages.EnumerateArray().Select(m => m.GetProperty("type").GetRawText())) + "]";

    // One property per line, so that a difference shows as a line.
    private static string Pretty(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>A small helper for the tests of this folder.</summary>
internal static class RespConnectionExtensions
{
    /// <summary>Sends a command and returns its reply as Latin-1 text.</summary>
    public static async Task<string> SendAndReadAsync(this RespConnection connection, params string[] args) =>
        Encoding.Latin1.GetString(await connection.CallAsync(args));
}
