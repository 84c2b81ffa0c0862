using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// A subscriber's connection going away, however it goes (closed, reset, CLIENT KILL, QUIT,
/// RESET), takes its subscriptions with it: PUBSUB NUMSUB and SHARDNUMSUB go to 0, PUBSUB
/// CHANNELS and SHARDCHANNELS forget the channel, PUBLISH returns 0, PUBSUB NUMPAT drops, and
/// INFO's pubsub_* counts fall back. Run on ours and, as a check of the test, on redis-server.
/// </summary>
public sealed class SubscriptionCleanupTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    public enum Departure
    {
        /// <summary>The client closes its socket (FIN).</summary>
        Close,

        /// <summary>The client resets the connection (RST: linger 0).</summary>
        Reset,

        /// <summary>Another client runs CLIENT KILL ID.</summary>
        Killed,

        /// <summary>The client sends QUIT.</summary>
        Quit,

        /// <summary>The client sends RESET and stays connected.</summary>
        ResetCommand,
    }

    [Theory]
    [InlineData("ours", Departure.Close)]
    [InlineData("ours", Departure.Reset)]
    [InlineData("ours", Departure.Killed)]
    [InlineData("ours", Departure.Quit)]
    [InlineData("ours", Departure.ResetCommand)]
    [InlineData("redis", Departure.Close)]
    [InlineData("redis", Departure.Reset)]
    [InlineData("redis", Departure.Killed)]
    [InlineData("redis", Departure.Quit)]
    [InlineData("redis", Departure.ResetCommand)]
    public Task A_departed_subscriber_leaves_no_registration(string name, Departure departure) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        var tag = $"gone-{departure}-";
        string channelA = tag + "a", channelB = tag + "b", pattern = tag + "*", shard = tag + "s";
        await using var observer = await server.ConnectAsync();
        await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "NUMPAT") == ":0\r\n", "no pattern left from before");
        var before = await CountsAsync(observer);

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
            var subscriber = new RawClient(socket);
            var id = await subscriber.CallAsync("CLIENT", "ID");
            await subscriber.CallAsync("SUBSCRIBE", channelA, channelB);
            await subscriber.ReadAsync(); // second confirmation
            await subscriber.CallAsync("PSUBSCRIBE", pattern);
            await subscriber.CallAsync("SSUBSCRIBE", shard);

            Assert.Equal($"*4\r\n${channelA.Length}\r\n{channelA}\r\n:1\r\n${channelB.Length}\r\n{channelB}\r\n:1\r\n", await observer.SendAndReadAsync("PUBSUB", "NUMSUB", channelA, channelB));
            Assert.Equal($"*2\r\n${shard.Length}\r\n{shard}\r\n:1\r\n", await observer.SendAndReadAsync("PUBSUB", "SHARDNUMSUB", shard));
            Assert.Equal(":1\r\n", await observer.SendAndReadAsync("PUBSUB", "NUMPAT"));
            Assert.Equal(2, (await observer.SendAndReadAsync("PUBSUB", "CHANNELS", pattern)).Split(tag).Length - 1);
            Assert.Equal(":2\r\n", await observer.SendAndReadAsync("PUBLISH", channelA, "x"));
            Assert.Equal(":1\r\n", await observer.SendAndReadAsync("SPUBLISH", shard, "x"));
            Assert.Equal($"*3\r\n$7\r\nmessage\r\n${channelA.Length}\r\n{channelA}\r\n$1\r\nx\r\n", await subscriber.ReadAsync());
            Assert.StartsWith("*4\r\n$8\r\npmessage\r\n", await subscriber.ReadAsync(), StringComparison.Ordinal);
            Assert.StartsWith("*3\r\n$8\r\nsmessage\r\n", await subscriber.ReadAsync(), StringComparison.Ordinal);
            var during = await CountsAsync(observer);
            Assert.Equal((before.Channels + 2, before.Patterns + 1, before.Shard + 1), during);
            Assert.Contains($"id={id[1..^2]} ", await observer.SendAndReadAsync("CLIENT", "LIST"), StringComparison.Ordinal);
            Assert.Matches($"id={id[1..^2]} .* flags=P .* sub=2 psub=1 ssub=1 ", await observer.SendAndReadAsync("CLIENT", "LIST"));

            switch (departure)
            {
                case Departure.Close:
                    socket.Shutdown(SocketShutdown.Both);
                    socket.Dispose();
                    break;
                case Departure.Reset:
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Dispose();
                    break;
                case Departure.Killed:
                    Assert.Equal(":1\r\n", await observer.SendAndReadAsync("CLIENT", "KILL", "ID", id[1..^2]));
                    break;
                case Departure.Quit:
                    await socket.SendAsync(Resp.Command("QUIT"));
                    break;
                case Departure.ResetCommand:
                    await socket.SendAsync(Resp.Command("RESET"));
                    break;
            }

            await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "NUMPAT") == ":0\r\n", "PUBSUB NUMPAT 0");
            await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "NUMSUB", channelA) == $"*2\r\n${channelA.Length}\r\n{channelA}\r\n:0\r\n", "PUBSUB NUMSUB 0");
            await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "SHARDNUMSUB", shard) == $"*2\r\n${shard.Length}\r\n{shard}\r\n:0\r\n", "PUBSUB SHARDNUMSUB 0");
            await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "NUMSUB", channelB) == $"*2\r\n${channelB.Length}\r\n{channelB}\r\n:0\r\n", "PUBSUB NUMSUB of the other channel 0");
            Assert.Equal("*0\r\n", await observer.SendAndReadAsync("PUBSUB", "CHANNELS", pattern));
            Assert.Equal("*0\r\n", await observer.SendAndReadAsync("PUBSUB", "SHARDCHANNELS", pattern));
            Assert.Equal(":0\r\n", await observer.SendAndReadAsync("PUBLISH", channelA, "x"));
            Assert.Equal(":0\r\n", await observer.SendAndReadAsync("PUBLISH", channelB, "x"));
            Assert.Equal(":0\r\n", await observer.SendAndReadAsync("SPUBLISH", shard, "x"));
            Assert.Equal(before, await CountsAsync(observer));

            if (departure == Departure.ResetCommand)
            {
                // Still connected, out of subscribed mode, and told of nothing it left.
                Assert.Equal("+RESET\r\n", await subscriber.ReadAsync());
                Assert.Equal("$2\r\nok\r\n", await subscriber.CallAsync("ECHO", "ok"));
                Assert.Matches($"id={id[1..^2]} .* flags=N .* sub=0 psub=0 ssub=0 ", await observer.SendAndReadAsync("CLIENT", "LIST"));
            }
            else
            {
                await WaitUntilAsync(async () => !(await observer.SendAndReadAsync("CLIENT", "LIST")).Contains($"id={id[1..^2]} ", StringComparison.Ordinal), "CLIENT LIST without the client");
            }
        }
        finally
        {
            socket.Dispose();
        }
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task Two_hundred_subscribers_closing_at_once_leave_nothing(string name) => fixture.RunAsync(async () =>
    {
        var server = name == "ours" ? fixture.Ours : fixture.Redis;
        const string Channel = "crowd";
        await using var observer = await server.ConnectAsync();
        var subscribers = new List<RespConnection>();
        for (var i = 0; i < 200; i++)
        {
            var subscriber = await server.ConnectAsync();
            subscribers.Add(subscriber);
            await subscriber.SendCommandAsync("SUBSCRIBE", Channel);
            await subscriber.SendCommandAsync("PSUBSCRIBE", $"crowd-{i % 10}-*");
        }

        foreach (var subscriber in subscribers)
        {
            await subscriber.ReadRepliesAsync(2);
        }

        Assert.Equal($"*2\r\n$5\r\ncrowd\r\n:200\r\n", await observer.SendAndReadAsync("PUBSUB", "NUMSUB", Channel));
        Assert.Equal(":10\r\n", await observer.SendAndReadAsync("PUBSUB", "NUMPAT"));
        Assert.Equal(":200\r\n", await observer.SendAndReadAsync("PUBLISH", Channel, "x"));
        Assert.Equal(":20\r\n", await observer.SendAndReadAsync("PUBLISH", "crowd-3-x", "x"));
        await Task.WhenAll(subscribers.Select(s => s.DisposeAsync().AsTask()));

        await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "NUMSUB", Channel) == "*2\r\n$5\r\ncrowd\r\n:0\r\n", "PUBSUB NUMSUB 0");
        await WaitUntilAsync(async () => await observer.SendAndReadAsync("PUBSUB", "NUMPAT") == ":0\r\n", "PUBSUB NUMPAT 0");
        Assert.Equal(":0\r\n", await observer.SendAndReadAsync("PUBLISH", Channel, "x"));
        Assert.Equal(":0\r\n", await observer.SendAndReadAsync("PUBLISH", "crowd-3-x", "x"));
        Assert.Equal("*0\r\n", await observer.SendAndReadAsync("PUBSUB", "CHANNELS", "crowd*"));
    });

    // INFO's pubsub_channels, pubsub_patterns, pubsubshard_channels.
    private static async Task<(long Channels, long Patterns, long Shard)> CountsAsync(RespConnection connection)
    {
        var info = await connection.SendAndReadAsync("INFO", "stats");
        long Field(string field)
        {
            var line = info.Split("\r\n").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"INFO stats has no {field}");
            return long.Parse(line[(field.Length + 1)..], CultureInfo.InvariantCulture);
        }

        return (Field("pubsub_channels"), Field("pubsub_patterns"), Field("pubsubshard_channels"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"not within 5 s: {what}");
            await Task.Delay(20);
        }
    }

    // Commands on a socket the test closes its own way; replies as Latin-1 text, one frame each.
    private sealed class RawClient(Socket socket)
    {
        private readonly List<byte> _pending = [];

        public async Task<string> CallAsync(params string[] args)
        {
            await socket.SendAsync(Resp.Command(args));
            return await ReadAsync();
        }

        public async Task<string> ReadAsync()
        {
            var buffer = new byte[4096];
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var length = RespFrame.Measure(_pending.ToArray());
                if (length >= 0)
                {
                    var frame = _pending.GetRange(0, length).ToArray();
                    _pending.RemoveRange(0, length);
                    return Encoding.Latin1.GetString(frame);
                }

                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
                if (read == 0)
                {
                    throw new IOException("closed by the server");
                }

                _pending.AddRange(buffer.AsSpan(0, read));
            }
        }
    }
}
