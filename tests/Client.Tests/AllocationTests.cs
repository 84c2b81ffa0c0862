using System.Net;
using System.Net.Sockets;
using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

/// <summary>Alone (no other test allocates meanwhile): what receiving costs, measured process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "allocation";
}

[Collection(AllocationCollection.Name)]
public sealed class AllocationTests(ServersFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : ServerTests(fixture)
{
    [Theory]
    [MemberData(nameof(Servers))]
    public Task Receiving_a_message_allocates_little_beyond_its_payload(string server) => WithClientAsync(server, async client =>
    {
        const int Count = 20_000;
        var channel = Key("alloc");
        await using var subscription = await client.SubscribeAsync(channel);

        // The publisher is a raw socket with the requests built in advance: it allocates nothing per message.
        var request = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"*3\r\n$7\r\nPUBLISH\r\n${channel.Length}\r\n{channel}\r\n$8\r\npayload!\r\n", Count)));
        using var publisher = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await publisher.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Fixture[server].Port));
        var drain = new byte[64 * 1024];
        var warm = Encoding.ASCII.GetBytes($"PUBLISH {channel} warmup!\r\n");
        await publisher.SendAsync(warm, SocketFlags.None);
        await publisher.ReceiveAsync(drain, SocketFlags.None);
        await subscription.ReadAsync();

        // Anything else the process does meanwhile (thread pool, timers, server log readers) only adds to the
        // figure, so the least of a few rounds is the closest to what receiving itself costs.
        var perMessage = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            perMessage = Math.Min(perMessage, await MeasureRoundAsync());
        }

        output.WriteLine($"[{server}] {perMessage:0.0} bytes allocated per message received (8-byte payload)");
        // An 8-byte payload array is 32 bytes; the rest is the channel's queue growing and the test itself.
        Assert.True(perMessage < 80, $"{perMessage:0.0} bytes allocated per message received");

        async Task<double> MeasureRoundAsync()
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var sending = Task.Run(async () => await publisher.SendAsync(request, SocketFlags.None));
            var received = 0;
            var wrongSize = 0;
            while (received < Count && await subscription.WaitToReadAsync())
            {
                while (subscription.TryRead(out var message))
                {
                    // No Assert in the loop: xunit's comparers allocate.
                    wrongSize += message.Payload.Length == 8 ? 0 : 1;
                    received++;
                }
            }

            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            await sending;
            Assert.Equal(0, wrongSize);
            await DrainRepliesAsync();
            return allocated / (double)Count;
        }

        // Each PUBLISH is answered with ":1\r\n"; reading them keeps the publisher's socket from filling up.
        async Task DrainRepliesAsync()
        {
            var expected = Count * ":1\r\n".Length;
            for (var read = 0; read < expected;)
            {
                var n = await publisher.ReceiveAsync(drain, SocketFlags.None);
                Assert.True(n > 0, "the server closed the publisher's connection");
                read += n;
            }
        }
    });
}
