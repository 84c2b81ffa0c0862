using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class ConnectionTests(ServersFixture fixture) : ServerTests(fixture)
{
    [Theory]
    [MemberData(nameof(Servers))]
    public Task Connects_with_resp3_and_names_the_client(string server) => WithClientAsync(server, async client =>
    {
        Assert.Equal(3, client.Protocol);
        Assert.True(client.IsConnected);
        var name = await client.ExecuteAsync("CLIENT", "GETNAME");
        Assert.Equal("sdk-test", name.ToString());
        Assert.True(await client.PingAsync() < TimeSpan.FromSeconds(5));
    }, o => o.ClientName = "sdk-test");

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Speaks_resp2_when_asked(string server) => WithClientAsync(server, async client =>
    {
        Assert.Equal(2, client.Protocol);
        Assert.Equal("resp2-client", (await client.ExecuteAsync("CLIENT", "GETNAME")).ToString());
        Assert.Equal(0, await client.PublishAsync(Key("nobody"), "hello"));
    }, o =>
    {
        o.Protocol = RespProtocol.Resp2;
        o.ClientName = "resp2-client";
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Selects_the_database(string server) => WithClientAsync(server, async client =>
    {
        var info = (await client.ExecuteAsync("CLIENT", "INFO")).ToString();
        Assert.Contains(" db=3 ", info, StringComparison.Ordinal);
        if (server == "ours")
        {
            // CLIENT SETINFO came with Redis 7.2: the reference (7.0) refuses it, which the handshake ignores.
            Assert.Contains(" lib-name=Platform.Client lib-ver=0.1.0", info, StringComparison.Ordinal);
        }
    }, o => o.Database = 3);

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Server_errors_throw_and_the_connection_goes_on(string server) => WithClientAsync(server, async client =>
    {
        var error = await Assert.ThrowsAsync<PlatformServerException>(async () => await client.ExecuteAsync("NOSUCHCOMMAND", "x"));
        Assert.StartsWith("ERR unknown command", error.ServerMessage, StringComparison.Ordinal);
        Assert.Equal("ERR", error.ErrorCode);
        Assert.Equal("hello", (await client.ExecuteAsync("ECHO", "hello")).ToString());
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Untyped_replies_are_materialized(string server) => WithClientAsync(server, async client =>
    {
        var echo = await client.ExecuteAsync("ECHO", new byte[] { 0, 1, 2, 255 });
        Assert.Equal(RespValueKind.BulkString, echo.Kind);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, echo.Bytes.ToArray());
        var time = await client.ExecuteAsync("TIME");
        Assert.Equal(RespValueKind.Array, time.Kind);
        Assert.Equal(2, time.Items.Count);
        Assert.True(time.Items[0].AsInt64() > 1_600_000_000);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Many_concurrent_callers_share_one_connection_and_get_their_own_replies(string server) => WithClientAsync(server, async client =>
    {
        const int Tasks = 64;
        const int Commands = 1000;
        var connectionsBefore = client.ConnectionCount;
        var callers = Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (var batch = 0; batch < Commands; batch += 50)
            {
                var replies = new ValueTask<RespValue>[50];
                for (var i = 0; i < replies.Length; i++)
                {
                    replies[i] = client.ExecuteAsync("ECHO", $"{t}:{batch + i}");
                }

                for (var i = 0; i < replies.Length; i++)
                {
                    Assert.Equal($"{t}:{batch + i}", (await replies[i]).ToString());
                }
            }
        })).ToArray();
        await Task.WhenAll(callers);
        Assert.Equal(connectionsBefore, client.ConnectionCount);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Typed_commands_interleave_with_untyped_ones(string server) => WithClientAsync(server, async client =>
    {
        var channel = Key("interleave");
        var tasks = Enumerable.Range(0, 2000).Select(async i =>
        {
            if (i % 2 == 0)
            {
                Assert.Equal(0, await client.PublishAsync(channel, $"m{i}"));
            }
            else
            {
                Assert.Equal($"e{i}", (await client.ExecuteAsync("ECHO", $"e{i}")).ToString());
            }
        });
        await Task.WhenAll(tasks);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_cancelled_command_does_not_disturb_the_next_ones(string server) => WithClientAsync(server, async client =>
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.PublishAsync("c", "m", cancelled.Token));
        Assert.Equal("after", (await client.ExecuteAsync("ECHO", "after")).ToString());
    });
}
