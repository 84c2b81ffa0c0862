namespace Platform.Client;

/// <summary>The protocol the client asks for.</summary>
public enum RespProtocol
{
    /// <summary>RESP3 (<c>HELLO 3</c>), falling back to RESP2 when the server answers HELLO with an error.</summary>
    Resp3,

    /// <summary>RESP2 only: no HELLO; AUTH and CLIENT SETNAME instead.</summary>
    Resp2,
}

/// <summary>
/// How the client connects. Bind it from configuration with
/// <see cref="PlatformClientServiceCollectionExtensions.AddPlatformClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>
/// (keys as the property names: <c>Endpoint</c>, <c>Password</c>, <c>Reconnect:MaxDelay</c>, ...).
/// </summary>
public sealed class PlatformClientOptions
{
    /// <summary>The server, as "host:port" (default port 6379).</summary>
    public string Endpoint { get; set; } = "127.0.0.1:6379";

    /// <summary>The ACL user; "default" when only a password is set.</summary>
    public string? User { get; set; }

    /// <summary>The password (AUTH); none when null.</summary>
    public string? Password { get; set; }

    /// <summary>The database number (SELECT) when not 0.</summary>
    public int Database { get; set; }

    /// <summary>The connection name shown by CLIENT LIST (HELLO ... SETNAME / CLIENT SETNAME); none when null.</summary>
    public string? ClientName { get; set; }

    /// <summary>RESP3 with a RESP2 fallback (the default), or RESP2 only.</summary>
    public RespProtocol Protocol { get; set; } = RespProtocol.Resp3;

    /// <summary>How long one connection attempt (TCP connect and handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a command waits for its reply before it fails with <see cref="PlatformTimeoutException"/>; blocking commands get their BLOCK time on top. Zero: no limit.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new command waits for the connection while it is being (re)established before it fails with <see cref="PlatformConnectionException"/>.</summary>
    public TimeSpan ReconnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The backoff between reconnect attempts.</summary>
    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>How many idle dedicated connections for blocking commands (XREAD/XREADGROUP with BLOCK) are kept.</summary>
    public int MaxIdleBlockingConnections { get; set; } = 4;

    /// <summary>Checks the options and returns the endpoint they name.</summary>
    internal Connections.ServerEndPoint Validate()
    {
        if (Database < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Database), Database, "The database number cannot be negative.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "The connect timeout must be positive.");
        }

        if (Reconnect.BaseDelay <= TimeSpan.Zero || Reconnect.MaxDelay < Reconnect.BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(Reconnect), "Reconnect delays must be positive, the maximum at least the base.");
        }

        return Connections.ServerEndPoint.Parse(Endpoint);
    }
}

/// <summary>Exponential backoff with jitter between reconnect attempts (a Polly retry pipeline).</summary>
public sealed class ReconnectOptions
{
    /// <summary>The delay before the first retry; it doubles with each failed attempt.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}
