using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// The storage providers the persistence tests run on: SQLite (the default, a file in the
/// server's --dir) and PostgreSQL (a private instance started once per test class, a database
/// per server).
/// </summary>
public sealed class StorageProviders : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private int _databases;

    public static TheoryData<string> All => new() { "sqlite", "postgresql" };

    /// <summary>The PostgreSQL instance, started on first use.</summary>
    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL is not started.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>Our server on <paramref name="provider"/>, not started yet, with <paramref name="arguments"/> added.</summary>
    internal async Task<PlatformServer> CreateServerAsync(string provider, params string[] arguments)
    {
        if (provider == "sqlite")
        {
            return new PlatformServer(arguments);
        }

        return new PlatformServer(["--storage", "postgresql", "--postgres", await NewPostgresDatabaseAsync(), .. arguments]);
    }

    /// <summary>A new, empty database on the PostgreSQL instance (started on first use); gives its connection string.</summary>
    internal async Task<string> NewPostgresDatabaseAsync()
    {
        _postgres ??= await PostgresServer.StartAsync();
        var database = $"platform{Interlocked.Increment(ref _databases)}";
        await _postgres.CreateDatabaseAsync(database);
        return _postgres.ConnectionString(database);
    }
}
