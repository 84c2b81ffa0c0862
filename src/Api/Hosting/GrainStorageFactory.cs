using Platform.Api.Configuration;
using Platform.Silo.Storage;
using Platform.Silo.Storage.PostgreSql;
using Platform.Silo.Storage.Sqlite;

namespace Platform.Api.Hosting;

/// <summary>The storage provider the configuration names.</summary>
internal static class GrainStorageFactory
{
    /// <exception cref="InvalidOperationException">postgresql without a connection string.</exception>
    public static IGrainStorage Create(ServerConfig config) => config.Storage switch
    {
        "postgresql" => new PostgreSqlGrainStorage(config.PostgresConnectionString
            ?? throw new InvalidOperationException("storage is postgresql but no connection string is configured (set 'postgres', e.g. --postgres \"Host=127.0.0.1;Username=platform;Password=...;Database=platform\")")),
        "memory" => new MemoryGrainStorage(),
        _ => new SqliteGrainStorage(config.Dir),
    };
}
