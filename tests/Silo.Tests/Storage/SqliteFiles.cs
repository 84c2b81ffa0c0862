using Microsoft.Data.Sqlite;
using Platform.Silo.Storage.Sqlite;

namespace Platform.Silo.Tests.Storage;

/// <summary>Direct access to a store's SQLite file, beside the provider, on an unpooled connection that closes at once.</summary>
internal static class SqliteFiles
{
    public static async Task ExecuteAsync(string directory, string sql)
    {
        await using var connection = await OpenAsync(directory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string directory, string sql)
    {
        await using var connection = await OpenAsync(directory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task<SqliteConnection> OpenAsync(string directory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, SqliteGrainStorage.FileName),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
