namespace Platform.EndToEnd.Tests.Infrastructure;

/// <summary>A test failure with the servers' output attached.</summary>
public sealed class ServerTestFailure(string message, Exception inner) : Exception(message, inner);

/// <summary>One or more running servers, and the helper that prints their logs when a test fails.</summary>
public abstract class ServerFixtureBase : IAsyncLifetime
{
    private readonly List<ServerProcess> _servers = [];

    /// <summary>Runs a test body; on failure its message is followed by each server's log.</summary>
    public async Task RunAsync(Func<Task> test)
    {
        try
        {
            await test().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new ServerTestFailure($"{e.Message}\n\n{Logs()}", e);
        }
    }

    /// <summary>The tail of every server's log.</summary>
    public string Logs() =>
        string.Join("\n", _servers.Select(s => $"--- {s.Name} (port {s.Port}, {(s.IsRunning ? "running" : "NOT RUNNING")}) log: {s.LogPath} ---\n{s.ReadLog()}"));

    public async Task InitializeAsync()
    {
        _servers.AddRange(CreateServers());
        await Task.WhenAll(_servers.Select(s => s.StartAsync())).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private protected abstract IEnumerable<ServerProcess> CreateServers();
}

/// <summary>Our server alone.</summary>
public class OurServerFixture : ServerFixtureBase
{
    internal ServerProcess Ours { get; private set; } = null!;

    private protected override IEnumerable<ServerProcess> CreateServers()
    {
        Ours = new PlatformServer([]);
        return [Ours];
    }
}

/// <summary>Our server and the reference redis-server side by side, configured alike.</summary>
public class ServerPairFixture : ServerFixtureBase
{
    internal ServerProcess Ours { get; private set; } = null!;

    internal ServerProcess Redis { get; private set; } = null!;

    /// <summary>The requirepass both servers are started with; null for none.</summary>
    public virtual string? Password => null;

    private protected override IEnumerable<ServerProcess> CreateServers()
    {
        string[] arguments = Password is null ? [] : ["--requirepass", Password];
        Ours = new PlatformServer(arguments) { Password = Password };
        Redis = new RedisServer(arguments) { Password = Password };
        return [Ours, Redis];
    }
}

/// <summary>Both servers started with <c>--requirepass</c>.</summary>
public sealed class PasswordServerPairFixture : ServerPairFixture
{
    /// <summary>The password of the default user on both servers.</summary>
    public const string Secret = "s3cret";

    public override string? Password => Secret;
}
