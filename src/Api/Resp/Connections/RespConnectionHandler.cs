using Microsoft.AspNetCore.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Api.Server;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// Kestrel's entry point for the RESP port: one <see cref="RespSession"/> per connection,
/// refused with Redis's error beyond maxclients.
/// </summary>
internal sealed partial class RespConnectionHandler(ServerContext server, ILogger<RespSession> sessionLogger) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (server.Clients.Count >= server.Config.MaxClients)
        {
            server.Stats.ConnectionRejected();
            var reply = new byte[Errors.MaxClientsReached.Length + 3];
            reply[0] = (byte)'-';
            Errors.MaxClientsReached.CopyTo(reply.AsSpan(1));
            "\r\n"u8.CopyTo(reply.AsSpan(reply.Length - 2));
            await connection.Transport.Output.WriteAsync(reply).ConfigureAwait(false);
            Log.MaxClients(sessionLogger, connection.RemoteEndPoint?.ToString());
            return;
        }

        server.Stats.ConnectionReceived();
        var session = new RespSession(connection, server, sessionLogger);
        server.Clients.Add(session);
        await session.RunAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a connection from {Address}: max number of clients reached")]
        public static partial void MaxClients(ILogger logger, string? address);
    }
}
