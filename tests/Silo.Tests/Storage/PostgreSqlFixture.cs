using Npgsql;
using Platform.TestSupport;

namespace Platform.Silo.Tests.Storage;

/// <summary>A PostgreSQL instance of a test class's own (see <see cref="PostgresServer"/>), which makes a database per test.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    /// <summary>
    /// Creates an empty database and gives its connection string, as the provider uses it: a test
    /// of its own needs one, since a store indexes its journal in memory from what it finds at start.
    /// </summary>
    public async Task<string> NewDatabaseAsync()
    {
        var server = _server ?? throw new InvalidOperationException("The server is not started.");
        var name = $"storage_tests_{Interlocked.Increment(ref _databases)}";
        await server.CreateDatabaseAsync(name);
        return server.ConnectionString(name);
    }

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
