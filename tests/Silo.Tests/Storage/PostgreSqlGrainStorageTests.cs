using Npgsql;
using Platform.Silo.Storage;
using Platform.Silo.Storage.PostgreSql;

namespace Platform.Silo.Tests.Storage;

/// <summary>The storage contract on PostgreSQL: an instance and a database of this class's own.</summary>
public sealed class PostgreSqlGrainStorageTests(PostgreSqlFixture postgres) : RelationalGrainStorageContract, IClassFixture<PostgreSqlFixture>
{
    protected override async Task<IGrainStorage> OpenAsync()
    {
        var storage = new PostgreSqlGrainStorage(postgres.ConnectionString);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    protected override async Task<IAsyncDisposable> RejectJournalRowsAsync(string key)
    {
        // A check constraint (the tables' owner may add one) fails the statement that inserts the row.
        var constraint = "reject_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(
            $"ALTER TABLE journal ADD CONSTRAINT {constraint} " +
            $"CHECK (NOT (grain_type = '{Type}' AND grain_key = '\\x{Convert.ToHexString(StorageData.Bytes(key))}'::bytea)) NOT VALID");
        return new Undo(() => ExecuteAsync($"ALTER TABLE journal DROP CONSTRAINT {constraint}"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
