using Npgsql;
using Platform.Silo.Storage;
using Platform.Silo.Storage.PostgreSql;

namespace Platform.Silo.Tests.Storage;

/// <summary>The storage contract on PostgreSQL: an instance of this class's own, and a database of each test's own.</summary>
public sealed class PostgreSqlGrainStorageTests(PostgreSqlFixture postgres) : RelationalGrainStorageContract, IClassFixture<PostgreSqlFixture>
{
    private string _connectionString = "";

    public override async Task InitializeAsync()
    {
        _connectionString = await postgres.NewDatabaseAsync();
        await base.InitializeAsync();
    }

    /// <summary>
    /// A store of the first schema gets a journal keyed by sequence, each grain's rows in version
    /// order, and its grains' lives starting at the journal's start.
    /// </summary>
    [Fact]
    public async Task A_store_of_the_first_schema_gets_its_journal_keyed_by_sequence_with_each_grain_in_order()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        var schema = typeof(PostgreSqlGrainStorage).Assembly.GetManifestResourceStream("PostgreSql.Schema.001_grains.sql")!;
        await ExecuteAsync(connectionString, await new StreamReader(schema).ReadToEndAsync() + $"""
            CREATE TABLE schema_version (version integer NOT NULL);
            INSERT INTO schema_version (version) VALUES (1);
            INSERT INTO grains (grain_type, grain_key) VALUES ('{Type}', '\x{Hex("a")}'), ('{Type}', '\x{Hex("b")}');
            INSERT INTO journal (grain_type, grain_key, first_version, records) VALUES
                ('{Type}', '\x{Hex("b")}', 1, '\x{Hex(StorageData.Records(1, 1))}'),
                ('{Type}', '\x{Hex("a")}', 3, '\x{Hex(StorageData.Records(3, 1))}'),
                ('{Type}', '\x{Hex("a")}', 1, '\x{Hex(StorageData.Records(1, 2))}');
            """);

        await using var storage = new PostgreSqlGrainStorage(connectionString);
        await storage.InitializeAsync(CancellationToken.None);
        Assert.Equal([1L, 2L, 3L], StorageData.Versions(await storage.ReadAsync(Type, "a", CancellationToken.None)));
        await storage.CommitAsync([Append("a", 4, 1)], CancellationToken.None);
        Assert.Equal([1L, 2L, 3L, 4L], StorageData.Versions(await storage.ReadAsync(Type, "a", CancellationToken.None)));
        Assert.Equal([1L], StorageData.Versions(await storage.ReadAsync(Type, "b", CancellationToken.None)));

        static string Hex(object value) => Convert.ToHexString(value as byte[] ?? StorageData.Bytes((string)value));
    }

    protected override async Task<IGrainStorage> OpenAsync()
    {
        var storage = new PostgreSqlGrainStorage(_connectionString);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    protected override async Task<long> JournalRowsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM journal WHERE grain_type = '{Type}'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task<IAsyncDisposable> RejectJournalRowsAsync(string key)
    {
        // A check constraint (the tables' owner may add one) fails the statement that inserts the row.
        var constraint = "reject_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(
            _connectionString,
            $"ALTER TABLE journal ADD CONSTRAINT {constraint} " +
            $"CHECK (NOT (grain_type = '{Type}' AND grain_key = '\\x{Convert.ToHexString(StorageData.Bytes(key))}'::bytea)) NOT VALID");
        return new Undo(() => ExecuteAsync(_connectionString, $"ALTER TABLE journal DROP CONSTRAINT {constraint}"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
