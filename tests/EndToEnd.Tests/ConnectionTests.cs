using System.Diagnostics;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// The RESP port's transport: maxclients refusal and optional bind addresses as Redis's, and a
/// graceful stop that closes its clients at once.
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

    private static string Text(byte[] reply) => Encoding.Latin1.GetString(reply);
}
