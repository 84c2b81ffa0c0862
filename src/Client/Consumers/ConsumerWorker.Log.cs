using Microsoft.Extensions.Logging;

namespace Platform.Client.Consumers;

internal sealed partial class ConsumerWorker
{
    [LoggerMessage(101, LogLevel.Information, "Consumer {Consumer} of group {Group} on stream {Stream} started")]
    private static partial void LogStarted(ILogger logger, string stream, string group, string consumer);

    [LoggerMessage(102, LogLevel.Information, "Consumer {Consumer} of group {Group} on stream {Stream} stopped")]
    private static partial void LogStopped(ILogger logger, string stream, string group, string consumer);

    [LoggerMessage(103, LogLevel.Warning, "Consumer {Consumer} of group {Group} on stream {Stream}: handler failed for entry {Id} (delivery {DeliveryCount}); it stays pending")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string stream, string group, string consumer, string id, long deliveryCount);

    [LoggerMessage(104, LogLevel.Warning, "Consumer {Consumer} of group {Group} on stream {Stream}: {Reason}; retrying")]
    private static partial void LogReadFailed(ILogger logger, string stream, string group, string consumer, string reason);

    [LoggerMessage(105, LogLevel.Information, "Consumer {Consumer} of group {Group} on stream {Stream} claimed {Count} idle entries")]
    private static partial void LogClaimed(ILogger logger, string stream, string group, string consumer, int count);

    [LoggerMessage(106, LogLevel.Warning, "Entry {Id} of stream {Stream} (group {Group}) delivered {DeliveryCount} times: moved to {DeadLetterStream} as {DeadLetterId}")]
    private static partial void LogDeadLettered(ILogger logger, string stream, string group, string id, long deliveryCount, string deadLetterStream, string? deadLetterId);
}
