using Microsoft.Data.Sqlite;

namespace Platform.Silo.Storage.Sqlite;

/// <summary>Schema versions of an SQLite store.</summary>
internal sealed class SqliteSchemaStore(SqliteConnection connection) : ISchemaStore
{
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ApplyAsync(int version, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = sql + "\nINSERT INTO schema_version (version) VALUES ($version);";
            command.Parameters.AddWithValue("$version", version);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
