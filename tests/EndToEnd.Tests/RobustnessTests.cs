using System.Globalization;
using System.Net.Sockets;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests;

/// <summary>Garbage never crashes the server nor disturbs other clients; a 100 MB argument works.</summary>
public sealed class RobustnessTests(OurServerFixture fixture) : IClassFixture<OurServerFixture>
{
    [Fact]
    public Task Random_bytes_never_crash_the_server_nor_disturb_another_connection() => fixture.RunAsync(async () =>
    {
        using var stop = new CancellationTokenSource();
        var watcher = WatchAsync(stop.Token);

        var random = new Random(20261122);
        for (var round = 0; round < 150; round++)
        {
            await using (var connection = await fixture.Ours.ConnectAsync())
            {
                try
                {
                    await connection.SendAsync(Garbage(random));
                    await connection.ReadAvailableAsync(TimeSpan.FromMilliseconds(random.Next(0, 30)));
                }
                catch (SocketException)
                {
                    // The server closed the connection while we were still writing: fine.
                }
            }

            Assert.True(
                await fixture.Ours.AnswersPingAsync(TimeSpan.FromSeconds(10)),
                $"no PONG on a fresh connection after round {round}");
        }

        await stop.CancelAsync();
        var (iterations, error) = await watcher;
        Assert.Null(error);
        Assert.True(iterations > 50, $"the watching connection only made {iterations} round trips");
    });

    [Fact]
    public Task A_100_MB_argument_is_echoed_whole() => fixture.RunAsync(async () =>
    {
        const int size = 100 * 1024 * 1024;
        await using var connection = await fixture.Ours.ConnectAsync();
        Assert.Equal("+OK\r\n", Encoding.Latin1.GetString(await connection.CallAsync("CONFIG", "SET", "proto-max-bulk-len", "1gb")));
        try
        {
            var payload = new byte[size];
            for (var i = 0; i < size; i++)
            {
                payload[i] = (byte)('a' + (i % 23));
            }

            var header = Encoding.ASCII.GetBytes($"*2\r\n$4\r\nECHO\r\n${size}\r\n");
            await connection.SendAsync(header);
            await connection.SendAsync(payload);
            await connection.SendAsync("\r\n"u8.ToArray());

            var reply = await connection.ReadReplyAsync(TimeSpan.FromSeconds(120));
            var expectedHeader = Encoding.ASCII.GetBytes($"${size}\r\n");
            Assert.True(reply.AsSpan().StartsWith(expectedHeader), $"reply starts \"{RespFrame.Escape(reply.AsSpan(0, Math.Min(40, reply.Length)))}\"");
            Assert.Equal(expectedHeader.Length + size + 2, reply.Length);
            Assert.True(reply.AsSpan(expectedHeader.Length, size).SequenceEqual(payload), "the echoed bytes differ");
            Assert.Equal("+PONG\r\n", Encoding.Latin1.GetString(await connection.CallAsync("PING")));
        }
        finally
        {
            await connection.CallAsync("CONFIG", "SET", "proto-max-bulk-len", "512mb");
        }
    });

    [Fact]
    public Task Memory_is_released_after_a_100_MB_argument() => fixture.RunAsync(async () =>
    {
        const int size = 100 * 1024 * 1024;
        await using (var big = await fixture.Ours.ConnectAsync())
        {
            var header = Encoding.ASCII.GetBytes($"*2\r\n$4\r\nECHO\r\n${size}\r\n");
            await big.SendAsync(header);
            await big.SendAsync(new byte[size]);
            await big.SendAsync("\r\n"u8.ToArray());
            Assert.Equal($"${size}\r\n".Length + size + 2, (await big.ReadReplyAsync(TimeSpan.FromSeconds(120))).Length);
        }

        // Redis frees the argument and the reply at once. Here used_memory (the managed heap) must
        // fall well below the argument's size within 15 s, the connection that sent it being closed.
        await using var connection = await fixture.Ours.ConnectAsync();
        await AssertUsedMemoryFallsAsync(connection, "15 s after the 100 MB ECHO");
    });

    [Fact]
    public Task Memory_is_released_after_a_100_MB_reply_while_the_client_stays_connected() => fixture.RunAsync(async () =>
    {
        const int size = 100 * 1024 * 1024;
        await using var big = await fixture.Ours.ConnectAsync();
        await big.SendAsync(Encoding.ASCII.GetBytes($"*2\r\n$4\r\nECHO\r\n${size}\r\n"));
        await big.SendAsync(new byte[size]);
        await big.SendAsync("\r\n"u8.ToArray());
        Assert.Equal($"${size}\r\n".Length + size + 2, (await big.ReadReplyAsync(TimeSpan.FromSeconds(120))).Length);

        // The reply went out in asynchronous sends (it is larger than the socket's buffer): what
        // the connection holds once it is sent must not include it.
        await AssertUsedMemoryFallsAsync(big, "15 s after the 100 MB ECHO, its client still connected");
    });

    // used_memory (the managed heap) must fall below 50 MB within 15 s.
    private static async Task AssertUsedMemoryFallsAsync(RespConnection connection, string when)
    {
        long used = 0;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var info = Encoding.Latin1.GetString(await connection.CallAsync("INFO", "memory"));
            var line = info.Split("\r\n").First(l => l.StartsWith("used_memory:", StringComparison.Ordinal));
            used = long.Parse(line["used_memory:".Length..], CultureInfo.InvariantCulture);
            if (used < 50L * 1024 * 1024)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"used_memory is still {used} bytes {when}");
    }

    // A connection doing PING and ECHO in a loop, checking every reply.
    private async Task<(int Iterations, string? Error)> WatchAsync(CancellationToken stop)
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        var iterations = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var payload = "watch-" + iterations.ToString(CultureInfo.InvariantCulture);
                await connection.SendAsync(Resp.CommandText("PING") + Resp.CommandText("ECHO", payload));
                var pong = Encoding.Latin1.GetString(await connection.ReadReplyAsync(TimeSpan.FromSeconds(10)));
                var echo = Encoding.Latin1.GetString(await connection.ReadReplyAsync(TimeSpan.FromSeconds(10)));
                if (pong != "+PONG\r\n" || echo != $"${payload.Length}\r\n{payload}\r\n")
                {
                    return (iterations, $"round trip {iterations}: \"{pong}\" / \"{echo}\"");
                }

                iterations++;
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or SocketException)
        {
            return (iterations, $"round trip {iterations}: {e.Message}");
        }

        return (iterations, null);
    }

    // Random bytes, sometimes shaped like the start of a request so the parser goes deeper.
    private static byte[] Garbage(Random random)
    {
        string[] prefixes = ["", "*", "*3\r\n$", "*2\r\n$4\r\nECHO\r\n$", "$", "\"", "'", "*1\r\n$4\r\nPING\r\n", "ECHO \"", "*-1\r\n", "\r\n"];
        var body = new byte[random.Next(1, 8192)];
        random.NextBytes(body);
        if (random.Next(3) == 0)
        {
            // Mostly protocol characters.
            const string alphabet = "*$\r\n0123456789-\"' \\x";
            for (var i = 0; i < body.Length; i++)
            {
                body[i] = (byte)alphabet[random.Next(alphabet.Length)];
            }
        }

        return [.. Encoding.Latin1.GetBytes(prefixes[random.Next(prefixes.Length)]), .. body];
    }
}
