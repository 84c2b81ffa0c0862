namespace Platform.Http.Tests.Infrastructure;

/// <summary>
/// One server shared by a test class: 1 s SSE keep-alives and a 64 KiB body limit, so the tests
/// see both without waiting or sending much.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    /// <summary>The body limit the server is started with.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    internal PlatformServer Server { get; private set; } = null!;

    /// <summary>Runs a test body; on failure the server's log follows the message.</summary>
    internal async Task RunAsync(Func<PlatformServer, Task> test)
    {
        try
        {
            await test(Server).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new ServerTestFailure($"{e.Message}\n\n--- server log ---\n{Server.Log()}", e);
        }
    }

    public async Task InitializeAsync() =>
        Server = await PlatformServer.StartAsync("--http:KeepAliveSeconds", "1", "--http:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ConfigureAwait(false);

    public async Task DisposeAsync() => await Server.DisposeAsync().ConfigureAwait(false);
}

/// <summary>A test failure with the server's log attached.</summary>
public sealed class ServerTestFailure(string message, Exception inner) : Exception(message, inner);
