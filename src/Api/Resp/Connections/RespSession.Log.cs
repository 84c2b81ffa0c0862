using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Connections;

internal sealed partial class RespSession
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Client {Id} ({Address}) sent a bad request: {Error}; closing it")]
        public static partial void ProtocolError(ILogger logger, long id, string address, ProtocolError error);

        [LoggerMessage(2, LogLevel.Warning, "Closing client {Id} ({Address}) that reached the max query buffer length ({Bytes} bytes)")]
        public static partial void QueryBufferLimit(ILogger logger, long id, string address, long bytes);

        [LoggerMessage(3, LogLevel.Error, "Command {Command} of client {Id} failed")]
        public static partial void CommandFailed(ILogger logger, Exception exception, string command, long id);

        [LoggerMessage(4, LogLevel.Debug, "Client {Id} ({Address}) was killed")]
        public static partial void Killed(ILogger logger, long id, string address);

        [LoggerMessage(6, LogLevel.Error, "Client {Id}'s connection failed")]
        public static partial void ConnectionFailed(ILogger logger, Exception exception, long id);

        [LoggerMessage(5, LogLevel.Warning, "Client {Id} ({Address}) closed for overcoming of output buffer limits ({Bytes} bytes pending)")]
        public static partial void OutputBufferLimit(ILogger logger, long id, string address, long bytes);
    }
}
