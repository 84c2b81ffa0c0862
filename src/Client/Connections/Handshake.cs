using Platform.Client.Protocol;

namespace Platform.Client.Connections;

/// <summary>
/// What every new connection says first: <c>HELLO 3 [AUTH user pass] [SETNAME name]</c>, or — when
/// the server answers HELLO with an error (a RESP2-only server) or RESP2 is asked for —
/// <c>AUTH</c> and <c>CLIENT SETNAME</c>; then <c>SELECT</c> and <c>CLIENT SETINFO</c>.
/// </summary>
internal static class Handshake
{
    /// <summary>The library name sent with CLIENT SETINFO LIB-NAME.</summary>
    public const string LibraryName = "Platform.Client";

    private static readonly string LibraryVersion =
        typeof(Handshake).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Runs the handshake; throws when the server refuses it (a wrong password, say).</summary>
    public static async Task RunAsync(RespConnection connection, PlatformClientOptions options, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)options.ConnectTimeout.TotalMilliseconds;
        var protocol = 2;
        if (options.Protocol == RespProtocol.Resp3)
        {
            var hello = CommandBuilder.Rent("HELLO").Add(3);
            if (options.Password is not null)
            {
                hello.Add("AUTH").Add(options.User ?? "default").Add(options.Password);
            }

            if (!string.IsNullOrEmpty(options.ClientName))
            {
                hello.Add("SETNAME").Add(options.ClientName);
            }

            try
            {
                protocol = await connection.ExecuteAsync(hello, ReadProtocol, deadline, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformServerException e) when (e.ErrorCode == "NOPROTO" || e.ServerMessage.StartsWith("ERR unknown command", StringComparison.OrdinalIgnoreCase))
            {
                protocol = 2;
            }
        }

        connection.Protocol = protocol;
        var steps = new List<Task>();
        if (protocol == 2)
        {
            if (options.Password is not null)
            {
                var auth = CommandBuilder.Rent("AUTH");
                if (options.User is not null)
                {
                    auth.Add(options.User);
                }

                steps.Add(connection.ExecuteAsync(auth.Add(options.Password), Parsers.Ok, deadline, cancellationToken).AsTask());
            }

            if (!string.IsNullOrEmpty(options.ClientName))
            {
                steps.Add(connection.ExecuteAsync(CommandBuilder.Rent("CLIENT").Add("SETNAME").Add(options.ClientName), Parsers.Ok, deadline, cancellationToken).AsTask());
            }
        }

        if (options.Database != 0)
        {
            steps.Add(connection.ExecuteAsync(CommandBuilder.Rent("SELECT").Add(options.Database), Parsers.Ok, deadline, cancellationToken).AsTask());
        }

        // CLIENT SETINFO came with Redis 7.2: older servers answer with an error, which is fine.
        var libName = connection.ExecuteAsync(CommandBuilder.Rent("CLIENT").Add("SETINFO").Add("LIB-NAME").Add(LibraryName), Parsers.Ignore, deadline, cancellationToken).AsTask();
        var libVersion = connection.ExecuteAsync(CommandBuilder.Rent("CLIENT").Add("SETINFO").Add("LIB-VER").Add(LibraryVersion), Parsers.Ignore, deadline, cancellationToken).AsTask();
        await Task.WhenAll(steps).ConfigureAwait(false);
        foreach (var optional in new[] { libName, libVersion })
        {
            try
            {
                await optional.ConfigureAwait(false);
            }
            catch (PlatformServerException)
            {
                // Not supported by this server.
            }
        }
    }

    private static int ReadProtocol(ref RespReader reader)
    {
        var protocol = 3;
        var pairs = reader.ReadMapLength();
        for (var i = 0; i < pairs; i++)
        {
            if (reader.PeekStringEquals("proto"u8))
            {
                reader.Skip();
                protocol = (int)reader.ReadInt64();
            }
            else
            {
                reader.Skip();
                reader.Skip();
            }
        }

        return protocol;
    }
}
