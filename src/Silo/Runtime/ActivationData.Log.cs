using Microsoft.Extensions.Logging;

namespace Platform.Silo.Runtime;

internal sealed partial class ActivationData
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
        Message = "Activation of grain {GrainType}/{Key} failed; the calls waiting for it fail and the next call retries.")]
    private static partial void LogActivationFailed(ILogger logger, Type grainType, string key, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "OnDeactivateAsync of grain {GrainType}/{Key} threw; the activation is removed anyway.")]
    private static partial void LogDeactivationFailed(ILogger logger, Type grainType, string key, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug,
        Message = "Deactivated grain {GrainType}/{Key} ({ReasonCode}: {Description}).")]
    private static partial void LogDeactivated(ILogger logger, Type grainType, string key, DeactivationReasonCode reasonCode, string description);
}
