using Microsoft.Extensions.Logging;

namespace Platform.Silo.Runtime;

internal abstract partial class GrainTimer
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "A timer callback of grain {GrainType}/{Key} threw; the timer keeps running.")]
    private static partial void LogCallbackFailed(ILogger logger, Type grainType, string key, Exception exception);
}
