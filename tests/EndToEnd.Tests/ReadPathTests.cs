using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Both ways a connection learns that it has bytes: the RESP port's own epoll loop (the default on
/// Linux x64) and the zero-byte receive it falls back to (PLATFORM_RESP_EPOLL=0, or elsewhere).
/// Each serves a pipeline, a command larger than the receive buffer, a command sent in pieces, a
/// blocked read woken by another client, and a subscriber; and each frees a blocked client that
/// hangs up or is killed (the loop learns of a hang-up from epoll, the other path from a read that peeks).
/// </summary>
public sealed class ReadPathTests
{
    private const string LoopThread = "RESP readiness";

    [Theory]
    [InlineData("epoll")]
    [InlineData("zero-byte receive")]
    public async Task Each_read_path_serves_pipelines_large_and_split_commands_blocked_reads_and_subscribers(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await server.ConnectAsync();

        const int count = 1000;
        await client.SendAsync(string.Concat(Enumerable.Repeat("PING\r\n", count)));
        Assert.All(await client.ReadRepliesAsync(count), reply => Assert.Equal("+PONG\r\n", Text(reply)));
        Assert.Equal(path == "epoll", server.ThreadNames().Contains(LoopThread));

        var large = new string('x', 100_000);
        Assert.Equal($"${large.Length}\r\n{large}\r\n", Text(await client.CallAsync("ECHO", large)));

        await client.SendAsync("*1\r\n$4\r\nPI");
        await Task.Delay(50);
        await client.SendAsync("NG\r\n");
        Assert.Equal("+PONG\r\n", Text(await client.ReadReplyAsync()));

        await using var reader = await server.ConnectAsync();
        await reader.SendCommandAsync("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        await using var subscriber = await server.ConnectAsync();
        await subscriber.CallAsync("SUBSCRIBE", "c");
        await Task.Delay(100); // the read is blocked before the entry comes
        Assert.Equal(":1\r\n", Text(await client.CallAsync("PUBLISH", "c", "hello")));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$5\r\nhello\r\n", Text(await subscriber.ReadReplyAsync()));
        await client.CallAsync("XADD", "s", "1-1", "f", "v");
        Assert.Equal("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", Text(await reader.ReadReplyAsync()));
    }

    [Theory]
    [InlineData("epoll")]
    [InlineData("zero-byte receive")]
    public async Task Each_read_path_frees_a_blocked_client_that_hangs_up_or_is_killed(string path)
    {
        await using var server = await StartAsync(path);
        await using var admin = await server.ConnectAsync();
        Assert.Equal("+OK\r\n", Text(await admin.CallAsync("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")));

        await using var leaving = await server.ConnectAsync();
        await leaving.SendCommandAsync("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        await using var killed = await server.ConnectAsync();
        var id = Text(await killed.CallAsync("CLIENT", "ID"))[1..^2];
        await killed.SendCommandAsync("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
        await admin.WaitForBlockedClientsAsync(2);

        await leaving.DisposeAsync();
        await admin.WaitForBlockedClientsAsync(1);
        Assert.Equal(":1\r\n", Text(await admin.CallAsync("CLIENT", "KILL", "ID", id)));
        var (data, closed) = await killed.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Equal("", Text(data));
        await admin.WaitForBlockedClientsAsync(0);

        // Neither left a waiter behind: the entry stays undelivered.
        await admin.CallAsync("XADD", "s", "1-1", "f", "v");
        Assert.Equal("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n", Text(await admin.CallAsync("XPENDING", "s", "g")));
    }

    private static async Task<PlatformServer> StartAsync(string path)
    {
        var environment = path == "epoll" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PLATFORM_RESP_EPOLL"] = "0" };
        var server = new PlatformServer([]) { Environment = environment };
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static string Text(byte[] reply) => Encoding.Latin1.GetString(reply);
}
