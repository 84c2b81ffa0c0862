using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// Ordering at scale on our server: 1,000 subscribers of one channel each receive all of 1,000
/// numbered messages, in order and byte for byte; messages one publisher sends to several
/// channels (and patterns) reach a subscriber of all of them in publish order.
/// </summary>
public sealed class FanOutOrderTests(OurServerFixture fixture) : IClassFixture<OurServerFixture>
{
    [Fact]
    public Task A_thousand_subscribers_each_receive_a_thousand_messages_in_order() => fixture.RunAsync(async () =>
    {
        const int Subscribers = 1000;
        const int Messages = 1000;
        const string Channel = "fanout-1000";
        var confirmation = Encoding.ASCII.GetBytes($"*3\r\n$9\r\nsubscribe\r\n${Channel.Length}\r\n{Channel}\r\n:1\r\n");

        var sockets = new List<Socket>();
        try
        {
            foreach (var batch in Enumerable.Range(0, Subscribers).Chunk(100))
            {
                sockets.AddRange(await Task.WhenAll(batch.Select(_ => SubscribeAsync(fixture.Ours.Port, Resp.Command("SUBSCRIBE", Channel), confirmation))));
            }

            var expected = new MemoryStream();
            var publishes = new List<string>();
            for (var i = 0; i < Messages; i++)
            {
                var payload = $"message {i.ToString("D4", CultureInfo.InvariantCulture)} {new string((char)('a' + (i % 26)), i % 50)}";
                expected.Write(Encoding.ASCII.GetBytes($"*3\r\n$7\r\nmessage\r\n${Channel.Length}\r\n{Channel}\r\n${payload.Length}\r\n{payload}\r\n"));
                publishes.Add(Resp.CommandText("PUBLISH", Channel, payload));
            }

            var expectedBytes = expected.ToArray();
            var readers = sockets.Select(s => ReadExactlyAsync(s, expectedBytes.Length, TimeSpan.FromSeconds(120))).ToList();

            // One publisher, pipelined in batches of 50: every PUBLISH reached all 1,000.
            await using var publisher = await fixture.Ours.ConnectAsync();
            foreach (var batch in publishes.Chunk(50))
            {
                await publisher.SendAsync(string.Concat(batch));
                foreach (var reply in await publisher.ReadRepliesAsync(batch.Length))
                {
                    Assert.Equal($":{Subscribers}\r\n", Encoding.ASCII.GetString(reply));
                }
            }

            var received = await Task.WhenAll(readers);
            for (var s = 0; s < received.Length; s++)
            {
                if (!received[s].AsSpan().SequenceEqual(expectedBytes))
                {
                    var at = received[s].AsSpan().CommonPrefixLength(expectedBytes);
                    Assert.Fail($"Subscriber {s} received {received[s].Length} bytes of {expectedBytes.Length}; they differ from byte {at}: " +
                        $"\"{RespFrame.Escape(received[s].AsSpan(at), 200)}\" instead of \"{RespFrame.Escape(expectedBytes.AsSpan(at), 200)}\"");
                }
            }

            // Nothing more: no message twice.
            await Task.Delay(200);
            Assert.Equal(0, sockets.Sum(s => s.Available));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    });

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public Task Messages_to_several_channels_arrive_in_publish_order(int protocol) => fixture.RunAsync(async () =>
    {
        var random = new Random(protocol);
        var prefix = $"order{protocol}-";
        var channels = Enumerable.Range(0, 10).Select(i => $"{prefix}{i}").ToArray();
        var subscribers = new List<RespConnection>();
        try
        {
            // 20 subscribers of all ten channels, and of a pattern that matches some of them.
            for (var s = 0; s < 20; s++)
            {
                var subscriber = await fixture.Ours.ConnectAsync();
                subscribers.Add(subscriber);
                if (protocol == 3)
                {
                    await subscriber.CallAsync("HELLO", "3");
                }

                await subscriber.SendCommandAsync(["SUBSCRIBE", .. channels]);
                await subscriber.SendCommandAsync("PSUBSCRIBE", $"{prefix}[0-2]");
                await subscriber.ReadRepliesAsync(channels.Length + 1);
            }

            var header = protocol == 3 ? '>' : '*';
            var expected = new List<string>();
            var commands = new StringBuilder();
            for (var i = 0; i < 2000; i++)
            {
                var channel = channels[random.Next(channels.Length)];
                var payload = i.ToString(CultureInfo.InvariantCulture);
                commands.Append(Resp.CommandText("PUBLISH", channel, payload));
                expected.Add($"{header}3\r\n$7\r\nmessage\r\n${channel.Length}\r\n{channel}\r\n${payload.Length}\r\n{payload}\r\n");
                if (channel.EndsWith('0') || channel.EndsWith('1') || channel.EndsWith('2'))
                {
                    var pattern = $"{prefix}[0-2]";
                    expected.Add($"{header}4\r\n$8\r\npmessage\r\n${pattern.Length}\r\n{pattern}\r\n${channel.Length}\r\n{channel}\r\n${payload.Length}\r\n{payload}\r\n");
                }
            }

            await using var publisher = await fixture.Ours.ConnectAsync();
            await publisher.SendAsync(commands.ToString());
            var replies = await publisher.ReadRepliesAsync(2000);
            Assert.All(replies, r => Assert.True(r.AsSpan().SequenceEqual(":20\r\n"u8) || r.AsSpan().SequenceEqual(":40\r\n"u8), RespFrame.Escape(r)));

            foreach (var (subscriber, s) in subscribers.Select((c, s) => (c, s)))
            {
                var frames = await subscriber.ReadRepliesAsync(expected.Count, TimeSpan.FromSeconds(30));
                for (var i = 0; i < expected.Count; i++)
                {
                    var frame = Encoding.ASCII.GetString(frames[i]);
                    Assert.True(frame == expected[i], $"subscriber {s}, frame {i}: \"{RespFrame.Escape(frames[i])}\" instead of \"{RespFrame.Escape(Encoding.ASCII.GetBytes(expected[i]))}\"");
                }
            }
        }
        finally
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }
        }
    });

    private static async Task<Socket> SubscribeAsync(int port, byte[] subscribe, byte[] confirmation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await socket.SendAsync(subscribe);
        var reply = await ReadExactlyAsync(socket, confirmation.Length, TimeSpan.FromSeconds(30));
        Assert.Equal(Encoding.ASCII.GetString(confirmation), Encoding.ASCII.GetString(reply));
        return socket;
    }

    // Exactly 'length' bytes (more would be a protocol error: the test reads everything the server sends).
    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int length, TimeSpan timeout)
    {
        var buffer = new byte[length];
        var filled = 0;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (filled < length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return buffer[..filled];
    }
}
