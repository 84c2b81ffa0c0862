using System.Text.Json;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>
/// ioredis and node-redis (tests/clients/node, installed by <c>npm ci</c>) against our server. Each
/// script prints its results and stays connected until the test, having looked at the connection
/// from another one, closes the script's stdin.
/// </summary>
public sealed class NodeClientTests(OurServerFixture fixture) : IClassFixture<OurServerFixture>
{
    [Fact]
    public Task Node_redis_connects_with_RESP3_identifies_itself_and_disconnects_cleanly() => fixture.RunAsync(async () =>
    {
        await using var script = StartScript("node-redis-check.js");
        var result = await ReadResultAsync(script);
        var output = script.Output;

        Assert.True(result.GetProperty("errors").GetArrayLength() == 0, output);
        Assert.Equal("PONG", result.GetProperty("ping").GetString());
        Assert.Equal("hi there", result.GetProperty("pingMessage").GetString());
        Assert.Equal("h\u00e9llo \r\n world", result.GetProperty("echo").GetString());
        Assert.Equal("node-redis-check", result.GetProperty("name").GetString());
        Assert.Equal("OK", result.GetProperty("setName").GetString());
        Assert.Equal("renamed-by-node", result.GetProperty("nameAfter").GetString());
        Assert.Equal("10000", result.GetProperty("configGet").GetProperty("maxclients").GetString());
        Assert.True(result.GetProperty("infoHasVersion").GetBoolean(), output);
        Assert.Equal("array of 2", result.GetProperty("time").GetString());
        Assert.Equal("ERR unknown command 'NOSUCH', with args beginning with: 'x' ", result.GetProperty("unknown").GetString());
        Assert.True(result.GetProperty("pipelineOk").GetBoolean(), output);
        Assert.Equal(100, result.GetProperty("pipelineCount").GetInt32());
        Assert.Equal(3, result.GetProperty("hello").GetProperty("proto").GetInt32());
        Assert.Contains(" resp=3 ", result.GetProperty("clientInfo").GetString(), StringComparison.Ordinal);

        // Seen from another connection: HELLO 3, SETNAME, SELECT and CLIENT SETINFO took effect.
        var id = result.GetProperty("id").GetInt64();
        var line = await ClientLineAsync(id);
        Assert.True(line is not null, $"no client id={id} in CLIENT LIST");
        Assert.Contains(" name=renamed-by-node ", line, StringComparison.Ordinal);
        Assert.Contains(" db=2 ", line, StringComparison.Ordinal);
        Assert.Contains(" resp=3 ", line, StringComparison.Ordinal);
        Assert.Contains(" lib-name=node-redis ", line, StringComparison.Ordinal);
        Assert.Contains(" lib-ver=6.3.1", line, StringComparison.Ordinal);

        await FinishAsync(script, id);
    });

    [Fact]
    public Task Ioredis_connects_with_RESP3_runs_commands_and_a_pipeline_and_quits() => fixture.RunAsync(async () =>
    {
        await using var script = StartScript("ioredis-check.js");
        var result = await ReadResultAsync(script);
        var output = script.Output;

        Assert.True(result.GetProperty("errors").GetArrayLength() == 0, output);
        Assert.Equal("ready", result.GetProperty("status").GetString());
        Assert.Equal("PONG", result.GetProperty("ping").GetString());
        Assert.Equal("hi there", result.GetProperty("pingMessage").GetString());
        Assert.Equal("h\u00e9llo \r\n world", result.GetProperty("echo").GetString());
        Assert.Equal("ioredis-check", result.GetProperty("nameFromOptions").GetString());
        Assert.Equal("renamed-by-ioredis", result.GetProperty("name").GetString());
        Assert.Equal("OK", result.GetProperty("select").GetString());
        Assert.Equal("[\"timeout\",\"0\"]", result.GetProperty("config").GetRawText());
        Assert.True(result.GetProperty("info").GetBoolean(), output);
        Assert.Equal(200, result.GetProperty("pipelineCount").GetInt32());
        Assert.True(result.GetProperty("pipelineOk").GetBoolean(), output);
        Assert.Equal("ERR unknown command 'NOSUCH', with args beginning with: 'x' ", result.GetProperty("unknown").GetString());
        Assert.Equal("00ff0d0a", result.GetProperty("bufferEcho").GetString());

        var id = result.GetProperty("id").GetInt64();
        var line = await ClientLineAsync(id);
        Assert.True(line is not null, $"no client id={id} in CLIENT LIST");
        Assert.Contains(" name=renamed-by-ioredis ", line, StringComparison.Ordinal);
        Assert.Contains(" db=3 ", line, StringComparison.Ordinal);
        Assert.Contains(" resp=3 ", line, StringComparison.Ordinal);
        Assert.Contains(" lib-name=ioredis ", line, StringComparison.Ordinal);
        Assert.Contains(" lib-ver=6.0.0", line, StringComparison.Ordinal);

        var closed = await FinishAsync(script, id);
        Assert.Equal("OK", closed.GetProperty("quit").GetString());
        Assert.Equal("end", closed.GetProperty("status").GetString());
    });

    private InteractiveProcess StartScript(string name)
    {
        var directory = RepositoryLayout.NodeClients;
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            throw new InvalidOperationException($"{directory}/node_modules is missing: run `npm ci` there (tests/run.sh does).");
        }

        return InteractiveProcess.Start("node", [name, fixture.Ours.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], directory);
    }

    private static async Task<JsonElement> ReadResultAsync(InteractiveProcess script)
    {
        var line = await script.ReadLineAsync(TimeSpan.FromSeconds(60));
        var result = JsonDocument.Parse(line ?? "null").RootElement;
        if (result.ValueKind != JsonValueKind.Object || result.TryGetProperty("failed", out _))
        {
            throw new InvalidOperationException($"The script failed:\n{script.Output}");
        }

        return result;
    }

    // The CLIENT LIST line of client <id>, seen from a connection of the test's own.
    private async Task<string?> ClientLineAsync(long id)
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        var reply = Encoding.UTF8.GetString(await connection.CallAsync("CLIENT", "LIST"));
        return reply.Split('\n').FirstOrDefault(l => l.Contains($"id={id} ", StringComparison.Ordinal));
    }

    // Lets the script disconnect, then checks that it exited cleanly and that the server dropped the connection.
    private async Task<JsonElement> FinishAsync(InteractiveProcess script, long id)
    {
        script.CloseInput();
        var closed = JsonDocument.Parse(await script.ReadLineAsync(TimeSpan.FromSeconds(30)) ?? "null").RootElement;
        Assert.Equal(0, await script.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(closed.ValueKind == JsonValueKind.Object && closed.GetProperty("closed").GetBoolean(), script.Output);
        Assert.Equal(0, closed.GetProperty("errors").GetArrayLength());

        for (var attempt = 0; attempt < 50 && await ClientLineAsync(id) is not null; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Null(await ClientLineAsync(id));
        return closed;
    }
}
