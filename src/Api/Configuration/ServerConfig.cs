using Platform.Silo.Storage;

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
    private Durability _lastStoringFsync = Durability.Always;
    private long _slowlogSlowerThan = 10000;
    private long _slowlogMaxLength = 128;

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
        Add(new IntegerParameter(
            "slowlog-log-slower-than", immutable: false, long.MinValue, long.MaxValue, () => SlowlogSlowerThanMicros, v => Volatile.Write(ref _slowlogSlowerThan, v)));
        Add(new IntegerParameter("slowlog-max-len", immutable: false, 0, long.MaxValue, () => SlowlogMaxLength, v => Volatile.Write(ref _slowlogMaxLength, v)));
        Add(new OutputBufferLimitParameter(OutputBufferLimits));
        Add(new IntegerParameter(
            "grain-collection-age", immutable: true, 1, int.MaxValue, () => (long)GrainCollectionAge.TotalSeconds, v => GrainCollectionAge = TimeSpan.FromSeconds(v)));
        Add(new EnumParameter("storage", immutable: true, ["sqlite", "postgresql", "memory"], () => Storage, v => Storage = v));
        Add(new EnumParameter("appendfsync", immutable: false, ["always", "everysec", "no"], () => FsyncName(AppendFsync), v => SetAppendFsync(ParseFsync(v))));

        Add(new SaveParameter());

        // appendonly no is appendfsync no (memory only); yes brings back the mode that was in force.
        Add(new EnumParameter(
            "appendonly", immutable: false, ["yes", "no"], () => AppendFsync == Durability.No ? "no" : "yes",
            v => SetAppendFsync(v == "no" ? Durability.No : AppendFsync == Durability.No ? _lastStoringFsync : AppendFsync)));
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

    /// <summary>slowlog-log-slower-than: commands that run this many microseconds or more go to SLOWLOG; negative: none.</summary>
    public long SlowlogSlowerThanMicros => Volatile.Read(ref _slowlogSlowerThan);

    /// <summary>slowlog-max-len: how many entries SLOWLOG keeps.</summary>
    public long SlowlogMaxLength => Volatile.Read(ref _slowlogMaxLength);

    /// <summary>requirepass: the default user's password; empty when none is required.</summary>
    public string RequirePass => _requirePass;

    /// <summary>grain-collection-age (seconds): how long an idle grain activation stays in memory.</summary>
    public TimeSpan GrainCollectionAge { get; private set; } = TimeSpan.FromMinutes(15);

    /// <summary>storage: the grain storage provider (sqlite, postgresql or memory).</summary>
    public string Storage { get; private set; } = "sqlite";

    /// <summary>The PostgreSQL connection string (configuration key "postgres"; never shown by CONFIG GET).</summary>
    public string? PostgresConnectionString { get; private set; }

    /// <summary>appendfsync: when changes reach the store.</summary>
    public Durability AppendFsync { get; private set; } = Durability.Always;

    /// <summary>Called after CONFIG SET changes <see cref="AppendFsync"/>, with the mode before.</summary>
    public Action<Durability>? AppendFsyncChanged { get; set; }

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
        PostgresConnectionString = configuration["postgres"] ?? configuration.GetConnectionString("postgres");
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

    private static Durability ParseFsync(string value) => value switch
    {
        "always" => Durability.Always,
        "everysec" => Durability.EverySecond,
        _ => Durability.No,
    };

    private static string FsyncName(Durability durability) => durability switch
    {
        Durability.Always => "always",
        Durability.EverySecond => "everysec",
        _ => "no",
    };

    private void SetAppendFsync(Durability durability)
    {
        var before = AppendFsync;
        AppendFsync = durability;
        if (durability != Durability.No)
        {
            _lastStoringFsync = durability;
        }

        if (durability != before)
        {
            AppendFsyncChanged?.Invoke(before);
        }
    }

    private static string[] SplitBind(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
