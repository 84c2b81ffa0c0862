using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Silo.Storage.PostgreSql;

/// <summary>
/// The production provider: PostgreSQL through Npgsql. A commit is one batch of statements, which
/// PostgreSQL runs as one implicit transaction (one round trip, one WAL flush); each run of appends
/// in it is one statement whatever its length (two while some of its grains are new), its rows
/// passed as arrays.
/// </summary>
public sealed class PostgreSqlGrainStorage(string connectionString) : IGrainStorage
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    // Grains with a row in the grains table, as of the last commit (only commits change it, one at
    // a time): an append to one of them needs no insert into grains, which was a statement per
    // commit and an index probe per row, for rows that were nearly always there.
    private readonly HashSet<GrainName> _grains = [];

    /// <inheritdoc/>
    public string Name => "postgresql";

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await SchemaMigrator.MigrateAsync(
                new PostgreSqlSchemaStore(connection), typeof(PostgreSqlGrainStorage).Assembly, "PostgreSql.Schema", cancellationToken).ConfigureAwait(false);
            _grains.Clear();
            _grains.UnionWith((await ListAllAsync(connection, cancellationToken).ConfigureAwait(false)).Select(g => new GrainName(g.GrainType, g.GrainKey)));
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"Cannot use the PostgreSQL database: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public async Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var key = Encoding.Latin1.GetBytes(grainKey);
        byte[]? snapshot = null;
        long version = 0, expires = -1;
        await using (var command = new NpgsqlCommand(
            "SELECT snapshot, snapshot_version, expires_at FROM grains WHERE grain_type = $1 AND grain_key = $2", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = grainType });
            command.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            snapshot = reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0);
            version = reader.GetInt64(1);
            expires = reader.GetInt64(2);
        }

        var journal = new List<(long, byte[])>();
        await using (var command = new NpgsqlCommand(
            "SELECT first_version, records FROM journal WHERE grain_type = $1 AND grain_key = $2 AND first_version > $3 ORDER BY first_version", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = grainType });
            command.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = version });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                journal.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        return new StoredGrain(snapshot, version, expires, journal);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var prefix = Encoding.Latin1.GetBytes(keyPrefix);
        await using var command = new NpgsqlCommand(
            "SELECT grain_key, expires_at FROM grains WHERE grain_type = $1 AND grain_key >= $2 AND ($3::bytea IS NULL OR grain_key < $3)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = grainType });
        command.Parameters.Add(new NpgsqlParameter { Value = prefix, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)OperationBatch.PrefixEnd(prefix) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        var keys = new List<StoredKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new StoredKey(Encoding.Latin1.GetString((byte[])reader.GetValue(0)), reader.GetInt64(1)));
        }

        return keys;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(string GrainType, string GrainKey)>> ListAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ListAllAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Without a transaction of its own, a batch is one implicit transaction: all or nothing.
        await using var statements = new NpgsqlBatch(connection);
        var appends = new AppendRun();

        // Which grains this batch gives a row (true) or takes it from (false); kept once it commits.
        var rows = new Dictionary<GrainName, bool>();
        foreach (var operation in OperationBatch.Coalesce(batch))
        {
            var grain = operation.Grain;
            if (operation is AppendRecords append)
            {
                var hasRow = rows.TryGetValue(grain, out var changed) ? changed : _grains.Contains(grain);
                appends.Add(append, makeRow: !hasRow);
                rows[grain] = true;
                continue;
            }

            // Statements run in order: the appends before this operation go first.
            appends.AddTo(statements);
            var key = Encoding.Latin1.GetBytes(operation.GrainKey);
            switch (operation)
            {
                case WriteSnapshot snapshot:
                    Add(
                        statements,
                        "INSERT INTO grains (grain_type, grain_key, snapshot, snapshot_version, expires_at) VALUES ($1, $2, $4, $3, $5) " +
                        "ON CONFLICT (grain_type, grain_key) DO UPDATE SET snapshot = excluded.snapshot, snapshot_version = excluded.snapshot_version, expires_at = excluded.expires_at",
                        snapshot.GrainType, key, snapshot.Version, snapshot.Snapshot, snapshot.ExpiresAtMs);
                    Add(statements, "DELETE FROM journal WHERE grain_type = $1 AND grain_key = $2 AND first_version <= $3", snapshot.GrainType, key, snapshot.Version);
                    rows[grain] = true;
                    break;
                case SetExpiry expiry:
                    Add(statements, "UPDATE grains SET expires_at = $3 WHERE grain_type = $1 AND grain_key = $2", expiry.GrainType, key, expiry.ExpiresAtMs);
                    break;
                case DeleteGrain delete:
                    Add(statements, "DELETE FROM grains WHERE grain_type = $1 AND grain_key = $2", delete.GrainType, key);
                    Add(statements, "DELETE FROM journal WHERE grain_type = $1 AND grain_key = $2", delete.GrainType, key);
                    rows[grain] = false;
                    break;
            }
        }

        appends.AddTo(statements);
        if (statements.BatchCommands.Count > 0)
        {
            await statements.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (grain, hasRow) in rows)
        {
            if (hasRow)
            {
                _grains.Add(grain);
            }
            else
            {
                _grains.Remove(grain);
            }
        }
    }

    private static async Task<List<(string GrainType, string GrainKey)>> ListAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT grain_type, grain_key FROM grains", connection);
        var grains = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            grains.Add((reader.GetString(0), Encoding.Latin1.GetString((byte[])reader.GetValue(1))));
        }

        return grains;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static void Add(NpgsqlBatch batch, string sql, string type, byte[] key, long? number = null, byte[]? data = null, long? expires = null)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bytea });
        if (number is { } n)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = n });
        }

        if (data is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = data, NpgsqlDbType = NpgsqlDbType.Bytea });
        }

        if (expires is { } e)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = e });
        }

        batch.BatchCommands.Add(command);
    }

    // Consecutive appends (of different grains: the batch is coalesced), written by one statement,
    // and one more for those whose grain has no row yet: a statement per row cost PostgreSQL more
    // than the rows themselves.
    private sealed class AppendRun
    {
        private readonly List<string> _types = [];
        private readonly List<byte[]> _keys = [];
        private readonly List<long> _versions = [];
        private readonly List<byte[]> _records = [];
        private readonly List<string> _newTypes = [];
        private readonly List<byte[]> _newKeys = [];

        public void Add(AppendRecords append, bool makeRow)
        {
            var key = Encoding.Latin1.GetBytes(append.GrainKey);
            _types.Add(append.GrainType);
            _keys.Add(key);
            _versions.Add(append.FirstVersion);
            _records.Add(append.Records);
            if (makeRow)
            {
                _newTypes.Add(append.GrainType);
                _newKeys.Add(key);
            }
        }

        public void AddTo(NpgsqlBatch batch)
        {
            if (_types.Count == 0)
            {
                return;
            }

            if (_newTypes.Count > 0)
            {
                var grains = new NpgsqlBatchCommand(
                    "INSERT INTO grains (grain_type, grain_key) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT DO NOTHING");
                grains.Parameters.Add(new NpgsqlParameter { Value = _newTypes.ToArray() });
                grains.Parameters.Add(new NpgsqlParameter { Value = _newKeys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
                batch.BatchCommands.Add(grains);
            }

            var types = _types.ToArray();
            var keys = _keys.ToArray();
            var journal = new NpgsqlBatchCommand(
                "INSERT INTO journal (grain_type, grain_key, first_version, records) SELECT * FROM unnest($1::text[], $2::bytea[], $3::bigint[], $4::bytea[])");
            journal.Parameters.Add(new NpgsqlParameter { Value = types });
            journal.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            journal.Parameters.Add(new NpgsqlParameter { Value = _versions.ToArray() });
            journal.Parameters.Add(new NpgsqlParameter { Value = _records.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            batch.BatchCommands.Add(journal);

            _types.Clear();
            _keys.Clear();
            _versions.Clear();
            _records.Clear();
            _newTypes.Clear();
            _newKeys.Clear();
        }
    }
}

/// <summary>Schema versions of a PostgreSQL store.</summary>
internal sealed class PostgreSqlSchemaStore(NpgsqlConnection connection) : ISchemaStore
{
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL); SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ApplyAsync(int version, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand("INSERT INTO schema_version (version) VALUES ($1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = version });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
