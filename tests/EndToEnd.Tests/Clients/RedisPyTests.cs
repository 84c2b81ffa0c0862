using System.Text.Json;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>
/// redis-py (Debian's python3-redis 4.3.4, visible to /usr/bin/python3 only) runs the same script
/// against ours and Redis: the results must be identical (the script reduces ids and addresses to
/// their type), and right.
/// </summary>
public sealed class RedisPyTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public Task Redis_py_sees_the_same_server_as_on_redis() => fixture.RunAsync(async () =>
    {
        var ours = await RunAsync(fixture.Ours.Port);
        var redis = await RunAsync(fixture.Redis.Port);
        Assert.Equal(redis, ours);

        var result = JsonDocument.Parse(ours).RootElement;
        Assert.True(result.GetProperty("ping").GetBoolean());
        Assert.Equal("h\u00e9llo \r\n world", result.GetProperty("echo").GetString());
        Assert.Equal("00ff0d0a", result.GetProperty("echo_binary").GetString());
        Assert.Equal("redis-py-check", result.GetProperty("client_getname").GetString());
        Assert.Equal("redis-py-check", result.GetProperty("client_list_mine").GetProperty("name").GetString());
        Assert.Equal("[\"1\"]", result.GetProperty("client_list_db").GetRawText());
        Assert.Equal("10000", result.GetProperty("config_get").GetProperty("maxclients").GetString());
        Assert.Equal(100, result.GetProperty("pipeline").GetProperty("count").GetInt32());
        Assert.True(result.GetProperty("pipeline").GetProperty("all_true").GetBoolean());
        Assert.Equal(2, result.GetProperty("hello2_proto").GetInt32());
        Assert.Equal(
            """[{"client_address": "127.0.0.1", "client_type": "tcp", "command": "SELECT 3", "db": 3, "time": "float"}, {"client_address": "127.0.0.1", "client_type": "tcp", "command": "ECHO say \"hi\"", "db": 3, "time": "float"}]""",
            result.GetProperty("monitor").GetRawText());

        // redis-py 4.3.4 has no Redis(protocol=3) and cannot read RESP3: HELLO 3 answered with a map
        // (%7) is what it trips on, on both servers.
        Assert.False(result.GetProperty("protocol3_supported").GetBoolean());
        Assert.Equal("InvalidResponse: Protocol Error: b'%7'", result.GetProperty("hello3").GetString());
    });

    private static async Task<string> RunAsync(int port)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing (apt-get install -y python3-redis).");
        }

        var script = Path.Combine(RepositoryLayout.PythonClients, "redis_py_check.py");
        var result = await ExternalProcess.RunAsync(Python, [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, $"redis_py_check.py on port {port}: {result}");
        return result.StandardOutput.Trim();
    }
}
