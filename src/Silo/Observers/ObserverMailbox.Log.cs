using Microsoft.Extensions.Logging;

namespace Platform.Silo.Observers;

internal sealed partial class ObserverMailbox
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "Observer {ObserverInterface} threw from {Method}; the notification is skipped.")]
    private static partial void LogObserverFailed(ILogger logger, Type observerInterface, string method, Exception exception);
}
