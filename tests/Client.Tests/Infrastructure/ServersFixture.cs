namespace Platform.Client.Tests.Infrastructure;

/// <summary>A test failure with the server's log attached.</summary>
public sealed class ServerTestFailure(string message, Exception inner) : Exception(message, inner);

/// <summary>Redis and our server side by side, shared by the API tests (each test uses keys of its own).</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public ServerProcess Redis { get; } = new RedisServer([]);

    public ServerProcess Ours { get; } = new PlatformServer([]);

    public ServerProcess this[string name] => name switch
    {
        "redis" => Redis,
        "ours" => Ours,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "redis or ours"),
    };

    public Task InitializeAsync() => Task.WhenAll(Redis.StartAsync(), Ours.StartAsync());

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Ours.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}

/// <summary>Base of the tests that run against both servers: a connected client per test, failures with the server's log.</summary>
public abstract class ServerTests(ServersFixture fixture)
{
    /// <summary>Both servers, for [Theory, MemberData(nameof(Servers))].</summary>
    public static TheoryData<string> Servers => new() { "redis", "ours" };

    protected ServersFixture Fixture { get; } = fixture;

    /// <summary>A key no other test uses.</summary>
    protected static string Key(string name) => $"{name}:{Guid.NewGuid():N}";

    /// <summary>Connects a client to <paramref name="server"/>, runs <paramref name="test"/>, attaches the server's log on failure.</summary>
    protected async Task WithClientAsync(string server, Func<PlatformClient, Task> test, Action<PlatformClientOptions>? configure = null)
    {
        var process = Fixture[server];
        try
        {
            await using var client = await PlatformClient.ConnectAsync(process.ClientOptions(configure));
            await test(client).WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception e)
        {
            throw new ServerTestFailure($"[{server}] {e.GetType().Name}: {e.Message}\n--- {server} log ---\n{process.ReadLog()}", e);
        }
    }
}
