using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

/// <summary>Both servers with requirepass.</summary>
public sealed class PasswordServersFixture : IAsyncLifetime
{
    public const string Secret = "s3cret";

    public ServerProcess Redis { get; } = new RedisServer(["--requirepass", Secret]) { Password = Secret };

    public ServerProcess Ours { get; } = new PlatformServer(["--requirepass", Secret]) { Password = Secret };

    public ServerProcess this[string name] => name == "redis" ? Redis : Ours;

    public Task InitializeAsync() => Task.WhenAll(Redis.StartAsync(), Ours.StartAsync());

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Ours.DisposeAsync();
    }
}

public sealed class PasswordTests(PasswordServersFixture fixture) : IClassFixture<PasswordServersFixture>
{
    public static TheoryData<string, RespProtocol> Cases => new()
    {
        { "redis", RespProtocol.Resp3 },
        { "redis", RespProtocol.Resp2 },
        { "ours", RespProtocol.Resp3 },
        { "ours", RespProtocol.Resp2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_right_password_authenticates(string server, RespProtocol protocol)
    {
        await using var client = await PlatformClient.ConnectAsync(fixture[server].ClientOptions(o => o.Protocol = protocol));
        Assert.Equal(protocol == RespProtocol.Resp3 ? 3 : 2, client.Protocol);
        Assert.Equal(0, await client.PublishAsync("c", "m"));
        await using var subscription = await client.SubscribeAsync("auth-channel");
        Assert.Equal(1, await client.PublishAsync("auth-channel", "m"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_wrong_password_fails_clearly(string server, RespProtocol protocol)
    {
        var options = fixture[server].ClientOptions(o =>
        {
            o.Protocol = protocol;
            o.Password = "wrong";
            o.ReconnectTimeout = TimeSpan.FromSeconds(1);
        });
        var error = await Assert.ThrowsAsync<PlatformConnectionException>(() => PlatformClient.ConnectAsync(options));
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
        Assert.False(error.CommandMayHaveRun);
    }
}
