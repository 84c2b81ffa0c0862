using Platform.Api.Configuration;
using Platform.Api.Resp.Commands;
using Platform.Api.Resp.Connections;
using Platform.Grains.Keyspace;
using Platform.Grains.PubSub;
using Platform.Silo;
using Platform.Silo.Hosting;

namespace Platform.Api.Server;

/// <summary>What every connection and command shares: settings, statistics, clients and commands.</summary>
internal sealed class ServerContext
{
    private readonly IHostApplicationLifetime _lifetime;

    public ServerContext(
        ServerConfig config,
        CommandTable commands,
        TimeProvider time,
        IGrainFactory grains,
        Publisher publisher,
        KeyspaceEvents keyspaceEvents,
        Persistence persistence,
        ISiloStatistics silo,
        IHostApplicationLifetime lifetime)
    {
        _lifetime = lifetime;
        config.Add(new KeyspaceEventsParameter(keyspaceEvents));
        Config = config;
        Commands = commands;
        Time = time;
        Grains = grains;
        StreamGrains = new GrainCache(grains);
        Publisher = publisher;
        Persistence = persistence;
        Silo = silo;
        Monitors = new Monitors(time);
        StartedAt = time.GetUtcNow();
        RunId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    }

    /// <summary>The slow commands (SLOWLOG).</summary>
    public SlowLog SlowLog { get; } = new();

    /// <summary>MONITOR's clients.</summary>
    public Monitors Monitors { get; }

    /// <summary>SHUTDOWN: stops the server as SIGTERM does (the journal commits what it holds, clients are closed).</summary>
    public void Shutdown() => _lifetime.StopApplication();

    /// <summary>Settings under Redis's names.</summary>
    public ServerConfig Config { get; }

    /// <summary>The commands the RESP port answers.</summary>
    public CommandTable Commands { get; }

    /// <summary>The clock; tests replace it.</summary>
    public TimeProvider Time { get; }

    /// <summary>References to grains.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>Stream grains by the name bytes commands give.</summary>
    public GrainCache StreamGrains { get; }

    /// <summary>PUBLISH for every front end.</summary>
    public Publisher Publisher { get; }

    /// <summary>Storage: SAVE, the journal's barrier and errors, INFO persistence.</summary>
    public Persistence Persistence { get; }

    /// <summary>The grain runtime's figures.</summary>
    public ISiloStatistics Silo { get; }

    /// <summary>Server-wide statistics.</summary>
    public ServerStats Stats { get; } = new();

    /// <summary>Connected RESP clients.</summary>
    public ClientRegistry Clients { get; } = new();

    /// <summary>When the server started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>A random identifier of this run (INFO's run_id).</summary>
    public string RunId { get; }
}
