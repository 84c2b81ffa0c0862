using Npgsql;
using Platform.TestSupport;

namespace Platform.Silo.Tests.Storage;

/// <summary>A PostgreSQL instance of a test class's own (see <see cref="PostgresServer"/>) with one database.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private const string Database = "storage_tests";

    private PostgresServer? _server;

    /// <summary>The connection string of the class's database, as the provider uses it.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        await _server.CreateDatabaseAsync(Database);
        ConnectionString = _server.ConnectionString(Database);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
