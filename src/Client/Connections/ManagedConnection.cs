using Microsoft.Extensions.Logging;
using Platform.Client.Protocol;
using Polly;
using Polly.Retry;

namespace Platform.Client.Connections;

/// <summary>
/// A connection that keeps itself connected: the first connection and every reconnect go through a
/// Polly retry pipeline (exponential backoff with jitter, no attempt limit) until the client is
/// disposed. While it is down, new commands wait for it up to
/// <see cref="PlatformClientOptions.ReconnectTimeout"/> and then fail clearly; commands that were
/// in flight when it dropped have failed at once (see <see cref="RespConnection"/>).
/// </summary>
internal sealed partial class ManagedConnection : IAsyncDisposable
{
    private readonly PlatformClientOptions _options;
    private readonly ServerEndPoint _endPoint;
    private readonly string _role;
    private readonly IPushHandler? _pushHandler;
    private readonly Func<RespConnection, CancellationToken, Task>? _onConnected;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _stateLock = new();
    private RespConnection? _current;
    private TaskCompletionSource _ready = NewSignal();
    private Exception? _lastError;
    private Task _connecting = Task.CompletedTask;
    private long _connectCount;

    public ManagedConnection(
        PlatformClientOptions options,
        ServerEndPoint endPoint,
        string role,
        ILogger logger,
        IPushHandler? pushHandler = null,
        Func<RespConnection, CancellationToken, Task>? onConnected = null)
    {
        _options = options;
        _endPoint = endPoint;
        _role = role;
        _logger = logger;
        _pushHandler = pushHandler;
        _onConnected = onConnected;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !_disposed.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Reconnect.BaseDelay,
                MaxDelay = options.Reconnect.MaxDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    _lastError = args.Outcome.Exception ?? _lastError;
                    LogConnectFailed(_logger, _role, _endPoint.ToString(), args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>The connection when it is up, else null.</summary>
    public RespConnection? Current => Volatile.Read(ref _current);

    /// <summary>How many times a connection has been established (1 after the first).</summary>
    public long ConnectCount => Interlocked.Read(ref _connectCount);

    /// <summary>Starts connecting in the background.</summary>
    public void Start()
    {
        lock (_stateLock)
        {
            _connecting = Task.Run(ConnectLoopAsync);
        }
    }

    /// <summary>Waits until connected, at most <see cref="PlatformClientOptions.ReconnectTimeout"/>; returns the connection.</summary>
    public async ValueTask<RespConnection> WaitConnectedAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var deadline = Environment.TickCount64 + (long)(timeout ?? _options.ReconnectTimeout).TotalMilliseconds;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            Task ready;
            lock (_stateLock)
            {
                if (_current is { IsOpen: true } current)
                {
                    return current;
                }

                ready = _ready.Task;
            }

            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw NotConnected(timeout ?? _options.ReconnectTimeout);
            }

            try
            {
                await ready.WaitAsync(TimeSpan.FromMilliseconds(remaining), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw NotConnected(timeout ?? _options.ReconnectTimeout);
            }
        }
    }

    /// <summary>Sends a command and awaits its reply; waits for the connection first when it is down.</summary>
    public ValueTask<T> ExecuteAsync<T>(CommandBuilder command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            command.Return();
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        var connection = Current;
        if (connection is not null)
        {
            var operation = new Operation<T>(command.Name, parser, Deadline());
            if (connection.TryWrite(command, operation))
            {
                command.Return();
                operation.Register(cancellationToken);
                return operation.Task;
            }
        }

        return ExecuteWhenConnectedAsync(command, parser, cancellationToken);
    }

    /// <summary>Drops the current connection as if the network had failed (for tests): a reconnect follows.</summary>
    public void SimulateConnectionFailure() => Current?.Close(new IOException("simulated connection failure"));

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        RespConnection? current;
        Task connecting;
        lock (_stateLock)
        {
            current = _current;
            _current = null;
            connecting = _connecting;
            _ready.TrySetException(new ObjectDisposedException(nameof(PlatformClient)));
        }

        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await connecting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the dispose.
        }

        _disposed.Dispose();
    }

    internal long Deadline(TimeSpan extra = default) =>
        _options.CommandTimeout <= TimeSpan.Zero
            ? 0
            : Environment.TickCount64 + (long)(_options.CommandTimeout + extra).TotalMilliseconds;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PlatformConnectionException NotConnected(TimeSpan waited) =>
        new($"Not connected to {_endPoint} ({_role}): no connection within {waited.TotalSeconds:0.###} s; last error: {_lastError?.Message ?? "none"}. The command was not sent.",
            commandMayHaveRun: false,
            _lastError);

    private async ValueTask<T> ExecuteWhenConnectedAsync<T>(CommandBuilder command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        Operation<T>? operation = null;
        try
        {
            while (operation is null)
            {
                var connection = await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
                var attempt = new Operation<T>(command.Name, parser, Deadline());
                if (connection.TryWrite(command, attempt))
                {
                    operation = attempt;
                }
            }
        }
        finally
        {
            command.Return();
        }

        operation.Register(cancellationToken);
        return await operation.Task.ConfigureAwait(false);
    }

    private async Task ConnectLoopAsync()
    {
        var token = _disposed.Token;
        try
        {
            var connection = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    var connection = await RespConnection.ConnectAsync(_endPoint, _pushHandler, OnClosed, _options.ConnectTimeout, ct).ConfigureAwait(false);
                    try
                    {
                        await Handshake.RunAsync(connection, _options, ct).ConfigureAwait(false);
                        if (_onConnected is not null)
                        {
                            await _onConnected(connection, ct).ConfigureAwait(false);
                        }

                        return connection.IsOpen
                            ? connection
                            : throw new PlatformConnectionException($"The connection to {_endPoint} closed during its setup.", false, connection.CloseReason);
                    }
                    catch (Exception e)
                    {
                        _lastError = e;
                        await connection.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                token).ConfigureAwait(false);

            // Counted and logged before it becomes current: a command may take it from then on,
            // and whoever has that command's reply may look for the count or the line.
            _lastError = null;
            var count = Interlocked.Increment(ref _connectCount);
            LogConnected(_logger, _role, _endPoint.ToString(), connection.Protocol, count > 1);
            TaskCompletionSource ready;
            lock (_stateLock)
            {
                if (token.IsCancellationRequested)
                {
                    ready = NewSignal();
                }
                else
                {
                    _current = connection;
                    ready = _ready;
                }
            }

            if (token.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            ready.TrySetResult();
            if (!connection.IsOpen)
            {
                // It closed before it became current, so OnClosed ignored it: go again.
                OnClosed(connection, connection.CloseReason);
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Disposed while connecting.
        }
    }

    private void OnClosed(RespConnection connection, Exception? reason)
    {
        lock (_stateLock)
        {
            if (!ReferenceEquals(_current, connection) || _disposed.IsCancellationRequested)
            {
                return;
            }

            _current = null;
            _lastError = reason;
            if (_ready.Task.IsCompleted)
            {
                _ready = NewSignal();
            }

            _connecting = Task.Run(ConnectLoopAsync);
        }

        LogConnectionLost(_logger, _role, _endPoint.ToString(), reason?.Message);
    }
}
