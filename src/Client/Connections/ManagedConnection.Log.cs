using Microsoft.Extensions.Logging;

namespace Platform.Client.Connections;

internal sealed partial class ManagedConnection
{
    [LoggerMessage(1, LogLevel.Information, "Platform.Client {Role} connection to {EndPoint} established (RESP{Protocol}, reconnect: {IsReconnect})")]
    private static partial void LogConnected(ILogger logger, string role, string endPoint, int protocol, bool isReconnect);

    [LoggerMessage(2, LogLevel.Warning, "Platform.Client {Role} connection to {EndPoint} lost: {Reason}; reconnecting")]
    private static partial void LogConnectionLost(ILogger logger, string role, string endPoint, string? reason);

    [LoggerMessage(3, LogLevel.Warning, "Platform.Client {Role} connection to {EndPoint}: attempt {Attempt} failed ({Reason}); next in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string role, string endPoint, int attempt, TimeSpan delay, string? reason);
}
