using System.Globalization;
using System.Text.Json;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>
/// Real client flows on streams: redis-py (Debian's python3-redis) and ioredis run an order
/// pipeline — a producer, two workers in a consumer group with blocking XREADGROUP and XACK, one
/// worker crashing with entries pending, XAUTOCLAIM taking them over — against our server: every
/// order is processed exactly once and nothing stays pending. The same scripts run on Redis too,
/// which shows the scripts themselves are right; redis-py's pipeline() transactions and WATCH must
/// give the same results on both.
/// </summary>
public sealed class StreamClientTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public Task Redis_py_order_pipeline_processes_every_order_once() => fixture.RunAsync(async () =>
    {
        var ours = await RunPythonAsync(fixture.Ours.Port);
        var redis = await RunPythonAsync(fixture.Redis.Port);
        foreach (var (name, result) in new[] { ("ours", ours), ("redis", redis) })
        {
            var text = result.GetRawText();
            Assert.True(result.GetProperty("errors").GetArrayLength() == 0, $"{name}: {text}");
            Assert.Equal("created", result.GetProperty("join_a").GetString());
            Assert.Equal("BUSYGROUP Consumer Group name already exists", result.GetProperty("join_b").GetString());
            Assert.True(result.GetProperty("exactly_once").GetBoolean(), $"{name}: {text}");
            Assert.Equal(300, result.GetProperty("processed").GetInt32());
            Assert.Equal(300, result.GetProperty("distinct").GetInt32());
            Assert.True(result.GetProperty("b_processed_some").GetBoolean(), $"{name}: {text}");
            var lost = result.GetProperty("b_lost_batch").GetInt32();
            Assert.True(lost > 0, $"{name}: {text}");
            Assert.Equal(lost, result.GetProperty("pending_before_claim").GetInt32());
            Assert.Equal(lost, result.GetProperty("pending_of_b").GetInt32());
            Assert.Equal(lost, result.GetProperty("claimed").GetInt32());
            Assert.True(result.GetProperty("claim_rounds_ok").GetBoolean(), $"{name}: {text}");
            Assert.Equal(0, result.GetProperty("pending_after").GetInt32());
            Assert.Equal("[[\"a\",0],[\"b\",0]]", result.GetProperty("consumers").GetRawText().Replace(" ", "", StringComparison.Ordinal));
            Assert.True(result.GetProperty("group").GetProperty("last-delivered-is-last").GetBoolean(), $"{name}: {text}");
            Assert.StartsWith("WatchError", result.GetProperty("watch_changed").GetString(), StringComparison.Ordinal);
            Assert.Equal(50, result.GetProperty("plain_pipeline").GetInt32());
        }

        // Transactions and WATCH through redis-py's pipeline(): the same on both servers.
        foreach (var property in new[] { "pipeline", "pipeline_runtime_error", "pipeline_queue_error", "after_queue_error", "watch_unchanged", "watch_changed", "tx_final" })
        {
            Assert.Equal(redis.GetProperty(property).GetRawText(), ours.GetProperty(property).GetRawText());
        }
    });

    [Fact]
    public Task Ioredis_order_pipeline_processes_every_order_once() => fixture.RunAsync(async () =>
    {
        foreach (var (name, port) in new[] { ("ours", fixture.Ours.Port), ("redis", fixture.Redis.Port) })
        {
            var result = await RunNodeAsync(port);
            var text = result.GetRawText();
            Assert.True(result.GetProperty("errors").GetArrayLength() == 0, $"{name}: {text}");
            Assert.Equal("OK", result.GetProperty("joinA").GetString());
            Assert.Equal("BUSYGROUP Consumer Group name already exists", result.GetProperty("joinB").GetString());
            Assert.True(result.GetProperty("exactlyOnce").GetBoolean(), $"{name}: {text}");
            Assert.Equal(300, result.GetProperty("distinct").GetInt32());
            Assert.True(result.GetProperty("bProcessedSome").GetBoolean(), $"{name}: {text}");
            var lost = result.GetProperty("bLostBatch").GetInt32();
            Assert.True(lost > 0, $"{name}: {text}");
            Assert.Equal(lost, result.GetProperty("pendingBeforeClaim").GetInt32());
            Assert.Equal(lost, result.GetProperty("pendingOfB").GetInt32());
            Assert.Equal(lost, result.GetProperty("claimed").GetInt32());
            Assert.True(result.GetProperty("claimRoundsOk").GetBoolean(), $"{name}: {text}");
            Assert.Equal(0, result.GetProperty("pendingAfter").GetInt32());
            Assert.Equal("[[null,\"1-1\"],[null,1],[null,[[\"1-1\",[\"a\",\"1\"]]]]]", result.GetProperty("multi").GetRawText());
        }
    });

    private static async Task<JsonElement> RunPythonAsync(int port)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing (apt-get install -y python3-redis).");
        }

        var script = Path.Combine(RepositoryLayout.PythonClients, "streams_py_orders.py");
        var result = await ExternalProcess.RunAsync(Python, [script, port.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"streams_py_orders.py on port {port}: {result}");
        return JsonDocument.Parse(result.StandardOutput.Trim()).RootElement;
    }

    private static async Task<JsonElement> RunNodeAsync(int port)
    {
        var directory = RepositoryLayout.NodeClients;
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            throw new InvalidOperationException($"{directory}/node_modules is missing: run `npm ci` there (tests/run.sh does).");
        }

        var result = await ExternalProcess.RunAsync("node", ["ioredis-streams-orders.js", port.ToString(CultureInfo.InvariantCulture)], workingDirectory: directory, timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"ioredis-streams-orders.js on port {port}: {result}");
        return JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]).RootElement;
    }
}
