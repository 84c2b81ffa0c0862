using Microsoft.Extensions.Logging;

namespace Platform.Silo.Runtime;

internal sealed partial class GrainRuntime
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Deactivating {Count} activations: the silo is stopping.")]
    private static partial void LogStopping(ILogger logger, int count);
}
