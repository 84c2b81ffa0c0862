using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The RESP port's transport: maxclients refusal, optional bind addresses and a killed blocked
/// client as Redis's, a graceful stop that closes its clients at once, and a start that a stop or
/// a port in use ends cleanly.
/// </summary>
public sealed class ConnectionTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task A_connection_past_maxclients_gets_Redis_error_and_is_closed(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        await using var admin = await server.ConnectAsync();

        // The admin connection alone reaches the limit.
        Assert.Equal("+OK\r\n", Text(await admin.CallAsync("CONFIG", "SET", "maxclients", "1")));
        try
        {
            await using var refused = await server.ConnectAsync();
            var (data, closed) = await refused.ReadUntilClosedAsync();
            Assert.Equal("-ERR max number of clients reached\r\n", Text(data));
            Assert.True(closed);
            Assert.Equal("+PONG\r\n", Text(await admin.CallAsync("PING")));
            Assert.Contains("rejected_connections:", Text(await admin.CallAsync("INFO", "stats")), StringComparison.Ordinal);
        }
        finally
        {
            await admin.CallAsync("CONFIG", "SET", "maxclients", "10000");
        }
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public async Task A_bind_address_marked_optional_that_the_machine_lacks_is_skipped(string name)
    {
        // 192.0.2.1 (TEST-NET-1) is on no interface here.
        string[] arguments = ["--bind", "127.0.0.1 -192.0.2.1"];
        await using ServerProcess server = name == "ours" ? new PlatformServer(arguments) : new RedisServer(arguments);
        await server.StartAsync();
        Assert.True(await server.AnswersPingAsync(TimeSpan.FromSeconds(10)), server.ReadLog());
    }

    [Fact]
    public async Task A_graceful_stop_closes_connected_clients_at_once()
    {
        await using var server = new PlatformServer([]);
        await server.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        await subscriber.CallAsync("SUBSCRIBE", "stopping");
        await using var idle = await server.ConnectAsync();
        Assert.Equal("+PONG\r\n", Text(await idle.CallAsync("PING")));

        var stopping = Stopwatch.StartNew();
        Assert.Equal(0, await server.StopAsync(graceful: true));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the stop took {stopping.Elapsed}");
        Assert.True((await subscriber.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))).Closed);
        Assert.True((await idle.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))).Closed);
    }

    [Fact]
    public async Task A_stop_as_soon_as_the_port_accepts_is_a_clean_stop()
    {
        // The RESP port used to open before Kestrel's, and SIGTERM in between cancelled the rest
        // of the start, which the process did not survive (exit 134, "Unhandled exception").
        await using var server = new PlatformServer([]);
        server.Launch(FreePorts.Pick());
        // No pause between tries: the window was a few milliseconds wide.
        var deadline = Stopwatch.StartNew();
        while (!await AcceptsAsync(server.Port))
        {
            Assert.True(server.IsRunning, server.ReadLog());
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the port never opened");
        }

        Assert.Equal(0, await server.StopAsync(graceful: true));
        Assert.DoesNotContain("Unhandled exception", server.ReadLog(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RESP")]
    [InlineData("HTTP")]
    public async Task A_port_in_use_stops_the_start_with_its_reason(string which)
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var busy = ((IPEndPoint)holder.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var free = FreePorts.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (resp, http) = which == "RESP" ? (busy, free) : (free, busy);

        var directory = Directory.CreateTempSubdirectory("platform-port-in-use-").FullName;
        try
        {
            var run = await ExternalProcess.RunAsync(
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                [RepositoryLayout.ServerDll, "--port", resp, "--urls", $"http://127.0.0.1:{http}", "--dir", directory],
                workingDirectory: Path.GetDirectoryName(RepositoryLayout.ServerDll),
                timeout: TimeSpan.FromSeconds(60));

            Assert.False(run.TimedOut, "The server kept running without its port.");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("Cannot start: Failed to bind", run.StandardError, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{busy}", run.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task A_killed_blocked_client_is_closed_without_a_reply(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        await using var admin = await server.ConnectAsync();
        var key = $"killed-blocked-{name}-{Guid.NewGuid():N}";
        Assert.Equal("+OK\r\n", Text(await admin.CallAsync("XGROUP", "CREATE", key, "g", "$", "MKSTREAM")));

        // Ending the wait and closing race inside the server: repeated, so a reply that slips
        // out between them would show.
        for (var i = 0; i < 20; i++)
        {
            await using var blocked = await server.ConnectAsync();
            await blocked.SendAsync("HELLO 3\r\n");
            await blocked.ReadReplyAsync();
            var id = Text(await blocked.CallAsync("CLIENT", "ID"))[1..^2];
            await blocked.SendCommandAsync("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", key, ">");
            await admin.WaitForBlockedClientsAsync(1);
            await KillBlockedAsync(admin, blocked, id);
        }
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task WAIT_for_a_replica_blocks_until_its_timeout_or_a_kill(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        await using var admin = await server.ConnectAsync();

        // With no replica to answer, a timeout ends the wait with 0, after the replies before it.
        await using var waiting = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();
        await waiting.SendAsync("PING\r\nWAIT 1 300\r\n");
        Assert.Equal("+PONG\r\n", Text(await waiting.ReadReplyAsync()));
        await admin.WaitForBlockedClientsAsync(1);
        Assert.Equal(":0\r\n", Text(await waiting.ReadReplyAsync()));
        Assert.True(clock.ElapsedMilliseconds >= 250, $"WAIT answered after {clock.ElapsedMilliseconds} ms");
        await admin.WaitForBlockedClientsAsync(0);

        // Timeout 0 waits until the client is killed.
        var id = Text(await waiting.CallAsync("CLIENT", "ID"))[1..^2];
        await waiting.SendCommandAsync("WAIT", "1", "0");
        await admin.WaitForBlockedClientsAsync(1);
        await KillBlockedAsync(admin, waiting, id);
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task CLIENT_UNBLOCK_ends_a_blocking_command_as_its_timeout_or_with_an_error(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        await using var admin = await server.ConnectAsync();
        var key = $"unblock-{name}-{Guid.NewGuid():N}";
        Assert.Equal("+OK\r\n", Text(await admin.CallAsync("XGROUP", "CREATE", key, "g", "$", "MKSTREAM")));
        await using var blocked = await server.ConnectAsync();
        var id = Text(await blocked.CallAsync("CLIENT", "ID"))[1..^2];
        Assert.Equal(":0\r\n", Text(await admin.CallAsync("CLIENT", "UNBLOCK", id)));

        var cases = new (string[] Command, string Reason, string Reply)[]
        {
            (["XREAD", "BLOCK", "0", "STREAMS", key, "$"], "TIMEOUT", "*-1\r\n"),
            (["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", key, ">"], "ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"),
            (["WAIT", "1", "0"], "TIMEOUT", ":0\r\n"),
            (["WAIT", "1", "0"], "ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"),
        };
        foreach (var (command, reason, expected) in cases)
        {
            await blocked.SendCommandAsync(command);
            await admin.WaitForBlockedClientsAsync(1);
            Assert.Equal(":1\r\n", Text(await admin.CallAsync("CLIENT", "UNBLOCK", id, reason)));
            Assert.Equal(expected, Text(await blocked.ReadReplyAsync()));
            await admin.WaitForBlockedClientsAsync(0);
        }

        // Unblocked, the client goes on as before; a reader unblocked by timeout left no waiter behind.
        Assert.Equal("+PONG\r\n", Text(await blocked.CallAsync("PING")));
        await admin.CallAsync("XADD", key, "1-1", "f", "v");
        Assert.Contains("1-1", Text(await blocked.CallAsync("XREADGROUP", "GROUP", "g", "c", "STREAMS", key, ">")), StringComparison.Ordinal);
        await admin.CallAsync("DEL", key);
    });

    // CLIENT KILL of a blocked client: it is closed without a word, and no longer counted as blocked.
    private static async Task KillBlockedAsync(RespConnection admin, RespConnection blocked, string id)
    {
        Assert.Equal(":1\r\n", Text(await admin.CallAsync("CLIENT", "KILL", "ID", id)));
        var (data, closed) = await blocked.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Equal("", Text(data));
        await admin.WaitForBlockedClientsAsync(0);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Text(byte[] reply) => Encoding.Latin1.GetString(reply);
}
