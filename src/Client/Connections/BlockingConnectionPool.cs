using System.Collections.Concurrent;
using Platform.Client.Protocol;

namespace Platform.Client.Connections;

/// <summary>
/// Dedicated connections for blocking commands (XREAD / XREADGROUP with BLOCK): a blocked command
/// would hold up every command behind it on the shared connection, so each runs alone on a
/// connection taken from here. A connection whose command was cancelled mid-block is closed, not
/// reused (its reply is still to come).
/// </summary>
internal sealed class BlockingConnectionPool : IAsyncDisposable
{
    private readonly PlatformClientOptions _options;
    private readonly ServerEndPoint _endPoint;
    private readonly ConcurrentStack<RespConnection> _idle = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<RespConnection, byte> _all = new();

    public BlockingConnectionPool(PlatformClientOptions options, ServerEndPoint endPoint)
    {
        _options = options;
        _endPoint = endPoint;
    }

    /// <summary>Runs one command on a dedicated connection.</summary>
    public async ValueTask<T> ExecuteAsync<T>(CommandBuilder command, ReplyParser<T> parser, TimeSpan block, CancellationToken cancellationToken)
    {
        RespConnection connection;
        try
        {
            connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            command.Return();
            throw;
        }

        try
        {
            // BLOCK 0 waits for ever: then so does the client.
            var deadline = _options.CommandTimeout <= TimeSpan.Zero || block == TimeSpan.Zero
                ? 0
                : Environment.TickCount64 + (long)(_options.CommandTimeout + block).TotalMilliseconds;
            return await connection.ExecuteAsync(command, parser, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        foreach (var connection in _all.Keys)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _idle.Clear();
    }

    private async ValueTask<RespConnection> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryPop(out var idle))
        {
            if (idle.IsOpen && idle.PendingCount == 0)
            {
                return idle;
            }

            Discard(idle);
        }

        // Connect, retrying with a short backoff while the server is away, up to the reconnect timeout.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        var deadline = Environment.TickCount64 + (long)_options.ReconnectTimeout.TotalMilliseconds;
        var delay = _options.Reconnect.BaseDelay;
        while (true)
        {
            RespConnection? connection = null;
            try
            {
                connection = await RespConnection.ConnectAsync(_endPoint, null, null, _options.ConnectTimeout, linked.Token).ConfigureAwait(false);
                await Handshake.RunAsync(connection, _options, linked.Token).ConfigureAwait(false);
                _all[connection] = 0;
                return connection;
            }
            catch (PlatformConnectionException) when (Environment.TickCount64 + delay.TotalMilliseconds < deadline)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                await Task.Delay(delay, linked.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.Reconnect.MaxDelay.Ticks));
            }
            catch
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }
        }
    }

    private void Return(RespConnection connection)
    {
        if (!_disposed.IsCancellationRequested && connection.IsOpen && connection.PendingCount == 0 && _idle.Count < _options.MaxIdleBlockingConnections)
        {
            _idle.Push(connection);
            return;
        }

        Discard(connection);
    }

    private void Discard(RespConnection connection)
    {
        _all.TryRemove(connection, out _);
        _ = connection.DisposeAsync().AsTask();
    }
}
