
namespace Platform.Api.Configuration;

/// <summary>
/// The server's settings under Redis's own names. Read from configuration at start (the
/// command line as <c>--port 6380</c>, appsettings.json as <c>"port": 6380</c>, environment
/// variables), changed by CONFIG SET at run time where Redis allows it, and read by every
/// connection without locks.
/// </summary>
internal sealed class ServerConfig
{
    /// <summary>Redis's default port.</summary>
    public const int DefaultPort = 6379;

    private readonly Dictionary<string, ConfigParameter> _parameters = new(StringComparer.OrdinalIgnoreCase);
    private long _protoMaxBulkLength = 512L * 1024 * 1024;
    private long _clientQueryBufferLimit = 1024L * 1024 * 1024;
    private long _maxClients = 10000;
    private long _timeoutSeconds;
    private volatile string _requirePass = "";

    public ServerConfig()
    {
        Add(new IntegerParameter("port", immutable: true, 0, 65535, () => Port, v => Port = (int)v));
        Add(new StringParameter("bind", immutable: true, () => string.Join(' ', Bind), v => Bind = SplitBind(v)));
        Add(new StringParameter("dir", immutable: true, () => Dir, v => Dir = Path.GetFullPath(v)));
        Add(new IntegerParameter("databases", immutable: true, 1, int.MaxValue, () => Databases, v => Databases = (int)v));
        Add(new MemoryParameter(
            "proto-max-bulk-len", immutable: false, 1024 * 1024, long.MaxValue,
            () => ProtoMaxBulkLength, v => Volatile.Write(ref _protoMaxBulkLength, v)));
        Add(new MemoryParameter(
            "client-query-buffer-limit", immutable: false, 1024 * 1024, long.MaxValue,
            () => ClientQueryBufferLimit, v => Volatile.Write(ref _clientQueryBufferLimit, v)));
        Add(new IntegerParameter("maxclients", immutable: false, 1, uint.MaxValue, () => MaxClients, v => Volatile.Write(ref _maxClients, v)));
        Add(new IntegerParameter("timeout", immutable: false, 0, int.MaxValue, () => TimeoutSeconds, v => Volatile.Write(ref _timeoutSeconds, v)));
        Add(new StringParameter("requirepass", immutable: false, () => _requirePass, v => _requirePass = v));
        Add(new OutputBufferLimitParameter(OutputBufferLimits));
    }

    /// <summary>The RESP port.</summary>
    public int Port { get; private set; } = DefaultPort;

    /// <summary>Addresses the RESP port listens on.</summary>
    public IReadOnlyList<string> Bind { get; private set; } = ["127.0.0.1"];

    /// <summary>The data directory, absolute.</summary>
    public string Dir { get; private set; } = Path.GetFullPath("data");

    /// <summary>Number of databases (SELECT 0 to n-1).</summary>
    public int Databases { get; private set; } = 16;

    /// <summary>proto-max-bulk-len: the largest argument a client may send.</summary>
    public long ProtoMaxBulkLength => Volatile.Read(ref _protoMaxBulkLength);

    /// <summary>client-query-buffer-limit: the most a client may have sent and not yet completed.</summary>
    public long ClientQueryBufferLimit => Volatile.Read(ref _clientQueryBufferLimit);

    /// <summary>maxclients.</summary>
    public long MaxClients => Volatile.Read(ref _maxClients);

    /// <summary>timeout: seconds of idleness after which a client is closed; 0 never.</summary>
    public long TimeoutSeconds => Volatile.Read(ref _timeoutSeconds);

    /// <summary>requirepass: the default user's password; empty when none is required.</summary>
    public string RequirePass => _requirePass;

    /// <summary>client-output-buffer-limit.</summary>
    public OutputBufferLimits OutputBufferLimits { get; } = new();

    /// <summary>Whether a new connection must AUTH before other commands.</summary>
    public bool PasswordRequired => _requirePass.Length > 0;

    /// <summary>All parameters, for CONFIG GET patterns.</summary>
    public IEnumerable<ConfigParameter> Parameters => _parameters.Values;

    /// <summary>Adds a parameter defined by another part of the server (storage, Pub/Sub).</summary>
    public void Add(ConfigParameter parameter) => _parameters.Add(parameter.Name, parameter);

    /// <summary>Finds a parameter by name, ignoring case.</summary>
    public ConfigParameter? Find(string name) => _parameters.GetValueOrDefault(name);

    /// <summary>
    /// Applies the values found in <paramref name="configuration"/> under the parameters' names.
    /// Throws with a clear message on a bad value, so the server does not start misconfigured.
    /// </summary>
    public void Load(IConfiguration configuration)
    {
        foreach (var parameter in _parameters.Values)
        {
            var value = configuration[parameter.Name];
            if (value is null)
            {
                continue;
            }

            if (!parameter.TrySet(Encoding.UTF8.GetBytes(value), out var error))
            {
                throw new InvalidOperationException($"Bad value for '{parameter.Name}' ('{value}'): {error}.");
            }
        }
    }

    private static string[] SplitBind(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
