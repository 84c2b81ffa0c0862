using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using SQLitePCL;

namespace Platform.Silo.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in the data directory, in WAL mode. The journal's
/// writer commits on one connection with prepared statements, appending journal rows at the end of
/// their table (<see cref="JournalIndex"/>); reads use connections of their own, which WAL lets run
/// beside the writer. A file that is not a readable database stops the start with a clear error
/// and is left untouched.
/// </summary>
/// <remarks>
/// Commits do not sync (synchronous=NORMAL: SQLite syncs only around checkpoints); <see cref="SyncAsync"/>
/// syncs the WAL file, which holds every commit since the last checkpoint. A failed sync is then
/// retried on its own: under synchronous=FULL it would fail the commit, and the batch would be
/// written again.
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage
{
    /// <summary>The database file's name in the data directory.</summary>
    public const string FileName = "platform.db";

    private readonly string _connectionString;
    private readonly string _path;
    private readonly JournalIndex _index = new();
    private SqliteConnection? _writer;
    private Statements? _statements;

    /// <param name="directory">The data directory (created if missing).</param>
    public SqliteGrainStorage(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = System.IO.Path.Combine(directory, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    /// <inheritdoc/>
    public string Name => "sqlite";

    /// <summary>The database file.</summary>
    public string Path => _path;

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            _writer = new SqliteConnection(_connectionString);
            await _writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(_writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken).ConfigureAwait(false);
            await SchemaMigrator.MigrateAsync(
                new SqliteSchemaStore(_writer), typeof(SqliteGrainStorage).Assembly, "Sqlite.Schema", cancellationToken).ConfigureAwait(false);
            _statements = new Statements(_writer);
            await LoadIndexAsync(_writer, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new InvalidOperationException($"Cannot use the SQLite database '{_path}': {e.Message} The file was not changed.", e);
        }
    }

    /// <inheritdoc/>
    public async Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var key = KeyBytes(grainKey);
        byte[]? snapshot = null;
        long version = 0, expires = -1;
        var found = false;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT snapshot, snapshot_version, expires_at FROM grains WHERE grain_type = $type AND grain_key = $key";
            command.Parameters.AddWithValue("$type", grainType);
            command.Parameters.AddWithValue("$key", key);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found = true;
                snapshot = reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0);
                version = reader.GetInt64(1);
                expires = reader.GetInt64(2);
            }
        }

        if (!found)
        {
            return null;
        }

        // The grain has no change on its way (the journal waits for those), so its rows stay put.
        var journal = new List<(long, byte[])>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT records FROM journal WHERE seq = $seq";
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            foreach (var row in _index.RowsOf(new GrainName(grainType, grainKey)).Where(r => r.FirstVersion > version))
            {
                seq.Value = row.Seq;
                journal.Add((row.FirstVersion, (byte[])(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!));
            }
        }

        return new StoredGrain(snapshot, version, expires, journal);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var prefix = KeyBytes(keyPrefix);
        command.CommandText =
            "SELECT grain_key, expires_at FROM grains WHERE grain_type = $type AND grain_key >= $from AND ($to IS NULL OR grain_key < $to)";
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$from", prefix);
        command.Parameters.Add(new SqliteParameter("$to", SqliteType.Blob) { Value = (object?)OperationBatch.PrefixEnd(prefix) ?? DBNull.Value });
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
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_key FROM grains";
        var grains = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            grains.Add((reader.GetString(0), Encoding.Latin1.GetString((byte[])reader.GetValue(1))));
        }

        return grains;
    }

    /// <inheritdoc/>
    public async Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
    {
        var statements = _statements ?? throw new InvalidOperationException("The storage is not initialized.");
        var index = _index.Begin();
        try
        {
            await using var transaction = (SqliteTransaction)await _writer!.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            statements.Enlist(transaction);
            foreach (var operation in OperationBatch.Coalesce(batch))
            {
                statements.Apply(operation, index);
            }

            statements.FlushJournal();
            foreach (var (first, last) in index.TakeDeadRuns())
            {
                statements.DeleteRows(first, last);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            index.Abandon();
            throw;
        }

        index.Apply();
    }

    /// <inheritdoc/>
    public bool SyncsSeparately => true;

    /// <inheritdoc/>
    public bool IsEmbedded => true;

    /// <inheritdoc/>
    public Task SyncAsync(CancellationToken cancellationToken)
    {
        // Opened for each sync rather than kept: a handle kept open would go on syncing a WAL file
        // SQLite had deleted and made anew, and losing that would go unnoticed. Without a WAL file
        // (a checkpoint took it all, syncing the database), the database file is synced instead.
        SafeFileHandle file;
        try
        {
            file = Open(_path + "-wal");
        }
        catch (FileNotFoundException)
        {
            file = Open(_path);
        }

        using (file)
        {
            RandomAccess.FlushToDisk(file);
        }

        return Task.CompletedTask;

        static SafeFileHandle Open(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _statements?.Dispose();
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static byte[] KeyBytes(string key) => Encoding.Latin1.GetBytes(key);

    private async Task LoadIndexAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var loader = _index.Load();
        await using (var grains = connection.CreateCommand())
        {
            grains.CommandText = "SELECT grain_type, grain_key, snapshot_version, journal_from FROM grains";
            await using var rows = await grains.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                loader.Grain(new GrainName(rows.GetString(0), Encoding.Latin1.GetString((byte[])rows.GetValue(1))), rows.GetInt64(2), rows.GetInt64(3));
            }
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, grain_type, grain_key, first_version FROM journal ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            loader.Row(new GrainName(reader.GetString(1), Encoding.Latin1.GetString((byte[])reader.GetValue(2))), reader.GetInt64(0), reader.GetInt64(3));
        }

        loader.Complete();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The writer's prepared statements, reused for every commit.
    private sealed class Statements : IDisposable
    {
        private readonly SqliteCommand _ensureGrain;
        private readonly JournalInsert _append;
        private readonly SqliteCommand _snapshot;
        private readonly SqliteCommand _expiry;
        private readonly SqliteCommand _deleteGrain;
        private readonly SqliteCommand _deleteRows;

        public Statements(SqliteConnection connection)
        {
            _ensureGrain = Prepare(connection, "INSERT INTO grains (grain_type, grain_key, journal_from) VALUES ($type, $key, $from) ON CONFLICT DO NOTHING");
            _append = new JournalInsert(connection);
            _snapshot = Prepare(
                connection,
                "INSERT INTO grains (grain_type, grain_key, snapshot, snapshot_version, expires_at, journal_from) VALUES ($type, $key, $data, $version, $expires, $from) " +
                "ON CONFLICT (grain_type, grain_key) DO UPDATE SET snapshot = excluded.snapshot, snapshot_version = excluded.snapshot_version, expires_at = excluded.expires_at");
            _expiry = Prepare(connection, "UPDATE grains SET expires_at = $expires WHERE grain_type = $type AND grain_key = $key");
            _deleteGrain = Prepare(connection, "DELETE FROM grains WHERE grain_type = $type AND grain_key = $key");
            _deleteRows = Prepare(connection, "DELETE FROM journal WHERE seq BETWEEN $first AND $last");
        }

        // Also drops journal rows a failed commit left unwritten.
        public void Enlist(SqliteTransaction transaction)
        {
            _append.Clear();
            foreach (var command in All())
            {
                command.Transaction = transaction;
            }
        }

        public void Apply(StorageOperation operation, JournalIndex.Batch index)
        {
            if (operation is AppendRecords append)
            {
                var seq = index.Append(append.Grain, append.FirstVersion, out var newGrain);
                if (newGrain)
                {
                    Run(_ensureGrain, append.GrainType, KeyBytes(append.GrainKey), from: seq);
                }

                _append.Add(seq, append.GrainType, append.GrainKey, append.FirstVersion, append.Records);
                return;
            }

            var key = KeyBytes(operation.GrainKey);
            switch (operation)
            {
                case WriteSnapshot snapshot:
                    var from = index.Snapshot(snapshot.Grain, snapshot.Version);
                    Run(_snapshot, snapshot.GrainType, key, version: snapshot.Version, data: snapshot.Snapshot, expires: snapshot.ExpiresAtMs, from: from);
                    break;
                case SetExpiry expiry:
                    Run(_expiry, expiry.GrainType, key, expires: expiry.ExpiresAtMs);
                    break;
                case DeleteGrain delete:
                    index.Delete(delete.Grain);
                    Run(_deleteGrain, delete.GrainType, key);
                    break;
            }
        }

        public void Dispose()
        {
            _append.Dispose();
            foreach (var command in All())
            {
                command.Dispose();
            }
        }

        /// <summary>Writes the journal rows still waiting for a full statement.</summary>
        public void FlushJournal() => _append.Flush();

        /// <summary>Deletes the journal rows from <paramref name="first"/> to <paramref name="last"/>.</summary>
        public void DeleteRows(long first, long last)
        {
            _deleteRows.Parameters["$first"].Value = first;
            _deleteRows.Parameters["$last"].Value = last;
            _deleteRows.ExecuteNonQuery();
        }

        private static void Run(SqliteCommand command, string type, byte[] key, long? version = null, byte[]? data = null, long? expires = null, long? from = null)
        {
            if (from is { } f)
            {
                command.Parameters["$from"].Value = f;
            }

            command.Parameters["$type"].Value = type;
            command.Parameters["$key"].Value = key;
            if (version is { } v)
            {
                command.Parameters["$version"].Value = v;
            }

            if (data is not null)
            {
                command.Parameters["$data"].Value = data;
            }

            if (expires is { } e)
            {
                command.Parameters["$expires"].Value = e;
            }

            command.ExecuteNonQuery();
        }

        private static SqliteCommand Prepare(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in (string[])["$first", "$last", "$from", "$type", "$key", "$version", "$data", "$expires"])
            {
                if (sql.Contains(name, StringComparison.Ordinal))
                {
                    command.Parameters.Add(new SqliteParameter(name, null));
                }
            }

            return command;
        }

        private IEnumerable<SqliteCommand> All() => [_ensureGrain, _snapshot, _expiry, _deleteGrain, _deleteRows];
    }

    // The journal's rows, inserted through SQLite's own API: SqliteCommand's work per execution (a
    // data reader, parameters found by name, values boxed) cost more than the insert. Rows go in
    // statements of RowsPerStatement rows each, the rest one by one, so that SQLite's work per
    // statement (a program started and reset, the table opened) is paid once per group rather than
    // per row. Commands and these statements share the connection, and so its transaction. The
    // grain type's UTF-8 and the key's bytes are made in buffers kept from row to row: SQLite
    // copies a value as it is bound.
    private sealed class JournalInsert : IDisposable
    {
        private const int RowsPerStatement = 16;
        private const int Columns = 5;

        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _one;
        private readonly sqlite3_stmt _many;
        private readonly Row[] _pending = new Row[RowsPerStatement];
        private int _count;
        private string _type = "";
        private byte[] _typeUtf8 = [];
        private byte[] _key = new byte[64];

        public JournalInsert(SqliteConnection connection)
        {
            _connection = connection;
            _one = Prepare(1);
            _many = Prepare(RowsPerStatement);
        }

        /// <summary>Adds a row to the transaction; it is inserted by <see cref="Flush"/> at the latest.</summary>
        public void Add(long seq, string type, string key, long firstVersion, byte[] records)
        {
            _pending[_count++] = new Row(seq, type, key, firstVersion, records);
            if (_count == RowsPerStatement)
            {
                Run(_many, _pending);
                Clear();
            }
        }

        /// <summary>Inserts the rows added since the last full statement.</summary>
        public void Flush()
        {
            try
            {
                for (var i = 0; i < _count; i++)
                {
                    Run(_one, _pending.AsSpan(i, 1));
                }
            }
            finally
            {
                Clear();
            }
        }

        /// <summary>Forgets the rows not inserted yet (their commit failed).</summary>
        public void Clear()
        {
            Array.Clear(_pending, 0, _count);
            _count = 0;
        }

        public void Dispose()
        {
            _one.Dispose();
            _many.Dispose();
        }

        private sqlite3_stmt Prepare(int rows)
        {
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(r => $"(?{(r * Columns) + 1}, ?{(r * Columns) + 2}, ?{(r * Columns) + 3}, ?{(r * Columns) + 4}, ?{(r * Columns) + 5})"));
            var result = raw.sqlite3_prepare_v2(
                _connection.Handle, "INSERT INTO journal (seq, grain_type, grain_key, first_version, records) VALUES " + values, out var statement);
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
            return statement;
        }

        private void Run(sqlite3_stmt statement, ReadOnlySpan<Row> rows)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                Bind(statement, i * Columns, rows[i]);
            }

            try
            {
                var result = raw.sqlite3_step(statement);
                if (result != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(result, _connection.Handle);
                }
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }

        private void Bind(sqlite3_stmt statement, int first, in Row row)
        {
            raw.sqlite3_bind_int64(statement, first + 1, row.Seq);
            if (!string.Equals(row.Type, _type, StringComparison.Ordinal))
            {
                _type = row.Type;
                _typeUtf8 = Encoding.UTF8.GetBytes(row.Type);
            }

            raw.sqlite3_bind_text(statement, first + 2, _typeUtf8);

            // An empty span would bind NULL; the empty key is a key like any other.
            if (row.Key.Length == 0)
            {
                raw.sqlite3_bind_zeroblob(statement, first + 3, 0);
            }
            else
            {
                if (row.Key.Length > _key.Length)
                {
                    _key = new byte[Math.Max(row.Key.Length, 2 * _key.Length)];
                }

                raw.sqlite3_bind_blob(statement, first + 3, _key.AsSpan(0, Encoding.Latin1.GetBytes(row.Key, _key)));
            }

            raw.sqlite3_bind_int64(statement, first + 4, row.FirstVersion);
            raw.sqlite3_bind_blob(statement, first + 5, row.Records);
        }

        private readonly record struct Row(long Seq, string Type, string Key, long FirstVersion, byte[] Records);
    }
}
