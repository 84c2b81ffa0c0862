namespace Platform.Api.Server;

/// <summary>
/// The server's periodic work, as Redis's serverCron at hz 10: samples the instantaneous rates
/// and the memory peak, and closes clients idle longer than the timeout setting.
/// </summary>
internal sealed partial class ServerCron(ServerContext server, ILogger<ServerCron> logger) : IHostedService, IDisposable
{
    /// <summary>Redis's default hz: ten runs a second.</summary>
    public const int Hz = 10;

    private ITimer? _timer;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(1.0 / Hz);
        _timer = server.Time.CreateTimer(_ => Run(), null, period, period);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose() => _timer?.Dispose();

    private void Run()
    {
        var now = Environment.TickCount64;
        server.Stats.Sample(now);

        var timeout = server.Config.TimeoutSeconds;
        if (timeout > 0)
        {
            foreach (var client in server.Clients.Snapshot())
            {
                // Subscribers and blocked clients wait by design: Redis spares them too.
                if (!client.IsSubscribed && !client.IsBlocked && now - client.LastInteraction > timeout * 1000)
                {
                    Log.IdleClient(logger, client.Id, client.Address);
                    client.Kill();
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Closing idle client {Id} ({Address})")]
        public static partial void IdleClient(ILogger logger, long id, string address);
    }
}
