using Microsoft.Extensions.Logging;

namespace Platform.Silo.Storage;

public sealed partial class GrainJournal
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Storage {Provider} failed: changes are kept and retried; write commands are refused meanwhile")]
        public static partial void StorageFailed(ILogger logger, Exception exception, string provider);

        [LoggerMessage(2, LogLevel.Warning, "Storage {Provider} works again")]
        public static partial void StorageRecovered(ILogger logger, string provider);
    }
}
