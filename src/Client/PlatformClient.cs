using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Client.Connections;
using Platform.Client.Protocol;
using Platform.Client.PubSub;

namespace Platform.Client;

/// <summary>
/// The client of the platform (and of any Redis 7 server): one multiplexed connection carries every
/// command of every caller, pipelined; subscriptions have a connection of their own; blocking reads
/// use dedicated connections. Both connections reconnect by themselves with backoff. Thread-safe;
/// create one per application (it is registered as a singleton by
/// <see cref="PlatformClientServiceCollectionExtensions.AddPlatformClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>).
/// </summary>
public sealed partial class PlatformClient : IAsyncDisposable
{
    private readonly PlatformClientOptions _options;
    private readonly ManagedConnection _connection;
    private readonly SubscriptionManager _subscriptions;
    private readonly BlockingConnectionPool _blocking;
    private readonly ILoggerFactory _loggerFactory;
    private int _disposed;

    /// <summary>Creates the client and starts connecting in the background; commands wait for the connection (up to <see cref="PlatformClientOptions.ReconnectTimeout"/>).</summary>
    public PlatformClient(PlatformClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var endPoint = options.Validate();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        var logger = _loggerFactory.CreateLogger<PlatformClient>();
        _connection = new ManagedConnection(options, endPoint, "command", logger);
        _subscriptions = new SubscriptionManager(options, endPoint, logger);
        _blocking = new BlockingConnectionPool(options, endPoint);
        _connection.Start();
    }

    /// <summary>The options the client was created with.</summary>
    public PlatformClientOptions Options => _options;

    /// <summary>Whether the command connection is up right now.</summary>
    public bool IsConnected => _connection.Current is { IsOpen: true };

    /// <summary>The protocol the command connection speaks: 3, or 2 after the fallback; 0 when not connected.</summary>
    public int Protocol => _connection.Current?.Protocol ?? 0;

    /// <summary>How many times the command connection has been established (1, then +1 per reconnect).</summary>
    public long ConnectionCount => _connection.ConnectCount;

    /// <summary>How many times the subscription connection has been established.</summary>
    public long SubscriptionConnectionCount => _subscriptions.Connection.ConnectCount;

    /// <summary>Creates a client and waits until it is connected; throws <see cref="PlatformConnectionException"/> if it cannot connect within <see cref="PlatformClientOptions.ReconnectTimeout"/>.</summary>
    public static async Task<PlatformClient> ConnectAsync(PlatformClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var client = new PlatformClient(options, loggerFactory);
        try
        {
            await client._connection.WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a client for "host:port" and waits until it is connected.</summary>
    public static Task<PlatformClient> ConnectAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ConnectAsync(new PlatformClientOptions { Endpoint = endpoint }, null, cancellationToken);

    /// <summary>PING: returns the round-trip time.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await _connection.ExecuteAsync(CommandBuilder.Rent("PING"), Parsers.Ignore, cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Sends any command and returns its reply, materialized (the untyped API). Errors throw <see cref="PlatformServerException"/>.</summary>
    public ValueTask<RespValue> ExecuteAsync(string command, params RespArgument[] arguments) =>
        ExecuteAsync(command, arguments, CancellationToken.None);

    /// <summary>
    /// Sends any command and returns its reply, materialized (the untyped API). Errors throw
    /// <see cref="PlatformServerException"/>. It runs on the shared connection: a blocking command
    /// sent this way (XREAD ... BLOCK) holds up every command behind it; the typed methods run those
    /// on a dedicated connection.
    /// </summary>
    public ValueTask<RespValue> ExecuteAsync(string command, IEnumerable<RespArgument> arguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(arguments);
        ThrowIfDisposed();
        var builder = CommandBuilder.Rent(command);
        foreach (var argument in arguments)
        {
            argument.WriteTo(builder);
        }

        return _connection.ExecuteAsync(builder, Parsers.Value, cancellationToken);
    }

    /// <summary>Closes every connection; commands still waiting fail with <see cref="PlatformConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        await _subscriptions.DisposeAsync().ConfigureAwait(false);
        await _blocking.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Drops the command and subscription connections as a network failure would (for tests of reconnects).</summary>
    internal void SimulateConnectionFailure()
    {
        _connection.SimulateConnectionFailure();
        _subscriptions.Connection.SimulateConnectionFailure();
    }

    private ValueTask<T> Execute<T>(CommandBuilder command, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        _connection.ExecuteAsync(command, parser, cancellationToken);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
