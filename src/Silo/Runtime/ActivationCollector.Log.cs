using Microsoft.Extensions.Logging;

namespace Platform.Silo.Runtime;

internal sealed partial class ActivationCollector
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Deactivating {Count} idle activations.")]
    private static partial void LogCollecting(ILogger logger, int count);
}
