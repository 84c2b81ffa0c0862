using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class ChannelTests(ServersFixture fixture) : ServerTests(fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_subscription_receives_what_is_published(string server) => WithClientAsync(server, async client =>
    {
        var channel = Key("news");
        await using var subscription = await client.SubscribeAsync(channel);
        Assert.Equal(channel, subscription.Name);
        Assert.False(subscription.IsPattern);

        Assert.Equal(1, await client.PublishAsync(channel, "hello"));
        Assert.Equal(1, await client.PublishAsync(channel, new byte[] { 0, 255, 13, 10 }));

        var first = await subscription.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(channel, first.Channel);
        Assert.Null(first.Pattern);
        Assert.Equal("hello", first.PayloadString);
        var second = await subscription.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(new byte[] { 0, 255, 13, 10 }, second.Payload.ToArray());
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_pattern_subscription_receives_with_pattern_and_channel(string server) => WithClientAsync(server, async client =>
    {
        var prefix = Key("orders");
        await using var subscription = await client.SubscribePatternAsync(prefix + ".*");
        Assert.True(subscription.IsPattern);

        Assert.Equal(1, await client.PublishAsync(prefix + ".eu", "one"));
        Assert.Equal(0, await client.PublishAsync(prefix + "-other", "none"));
        Assert.Equal(1, await client.PublishAsync(prefix + ".us", "two"));

        var first = await subscription.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(prefix + ".*", first.Pattern);
        Assert.Equal(prefix + ".eu", first.Channel);
        Assert.Equal("one", first.PayloadString);
        var second = await subscription.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(prefix + ".us", second.Channel);
        Assert.Equal("two", second.PayloadString);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Ending_the_enumeration_leaves_the_subscription(string server) => WithClientAsync(server, async client =>
    {
        var channel = Key("enumerated");
        var subscription = await client.SubscribeAsync(channel);
        var publisher = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await client.PublishAsync(channel, $"m{i}");
            }
        });

        var received = new List<string>();
        await foreach (var message in subscription.WithCancellation(new CancellationTokenSource(Wait).Token))
        {
            received.Add(message.PayloadString);
            if (received.Count == 3)
            {
                break;
            }
        }

        await publisher;
        Assert.Equal(["m0", "m1", "m2"], received);
        // Left: nobody hears the channel any more.
        Assert.Equal(0, await client.PublishAsync(channel, "after"));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Subscriptions_to_one_channel_share_a_server_subscription(string server) => WithClientAsync(server, async client =>
    {
        var channel = Key("shared");
        var first = await client.SubscribeAsync(channel);
        var second = await client.SubscribeAsync(channel);
        Assert.Equal(1, await client.PublishAsync(channel, "both"));
        Assert.Equal("both", (await first.ReadAsync().AsTask().WaitAsync(Wait)).PayloadString);
        Assert.Equal("both", (await second.ReadAsync().AsTask().WaitAsync(Wait)).PayloadString);

        await first.DisposeAsync();
        Assert.Equal(1, await client.PublishAsync(channel, "second only"));
        Assert.Equal("second only", (await second.ReadAsync().AsTask().WaitAsync(Wait)).PayloadString);
        Assert.False(first.TryRead(out _));

        await second.DisposeAsync();
        Assert.Equal(0, await client.PublishAsync(channel, "nobody"));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Cancelling_the_enumeration_leaves_the_subscription(string server) => WithClientAsync(server, async client =>
    {
        var channel = Key("cancelled");
        var subscription = await client.SubscribeAsync(channel);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in subscription.WithCancellation(stop.Token))
            {
            }
        });
        Assert.Equal(0, await client.PublishAsync(channel, "after"));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Many_messages_arrive_in_order(string server) => WithClientAsync(server, async client =>
    {
        var channel = Key("ordered");
        await using var subscription = await client.SubscribeAsync(channel);
        await using var publisher = await PlatformClient.ConnectAsync(Fixture[server].ClientOptions());
        const int Count = 5000;
        var sends = Enumerable.Range(0, Count).Select(i => publisher.PublishAsync(channel, i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsTask()).ToArray();
        for (var i = 0; i < Count; i++)
        {
            var message = await subscription.ReadAsync().AsTask().WaitAsync(Wait);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), message.PayloadString);
        }

        Assert.All(await Task.WhenAll(sends), receivers => Assert.Equal(1, receivers));
    });
}
