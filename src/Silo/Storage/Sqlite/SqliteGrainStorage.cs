using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using SQLitePCL;

namespace Platform.Silo.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in the data directory, in WAL mode. The journal's
/// writer commits on one connection with prepared statements, a commit's appends, for all its
/// grains, one row (a page, <see cref="JournalPage"/>) at the end of the journal table
/// (<see cref="JournalIndex"/>); reads use connections of their own, which WAL lets run beside
/// the writer. A file that is not a readable database stops the start with a clear error
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

    // How much of the database file a reader maps (address space, not memory): SQLite caps it at 2 GB.
    private const long ReaderMapBytes = 1L << 30;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly JournalIndex _index;
    private readonly OperationBatch _coalescer = new();
    private SqliteConnection? _writer;
    private Statements? _statements;

    /// <param name="directory">The data directory (created if missing).</param>
    public SqliteGrainStorage(string directory)
        : this(directory, JournalIndex.DefaultCompactionSlack)
    {
    }

    /// <param name="directory">The data directory (created if missing).</param>
    /// <param name="compactionSlack">How many more dead bytes than live ones the journal's pages
    /// may hold before commits copy live runs out of the oldest (<see cref="JournalIndex"/>).</param>
    internal SqliteGrainStorage(string directory, long compactionSlack)
    {
        _index = new JournalIndex(compactionSlack);
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
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            throw new InvalidOperationException($"Cannot use the SQLite database '{_path}': {e.Message} The file was not changed.", e);
        }
    }

    /// <inheritdoc/>
    public async Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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

        var journal = await _index.ReadRunsAsync(
            new GrainName(grainType, grainKey), version, rows => ReadRunsAsync(connection, rows), $"the journal table of '{_path}'").ConfigureAwait(false);
        return new StoredGrain(snapshot, version, expires, journal);
    }

    // Each run's first version and records, or null if any is not where the run says. The runs
    // are read in place, through one blob handle moved from page to page: substr() of a page
    // read the whole page first (its overflow pages too), so a stream's activation read every
    // page it had a run in, whole, about 25 KB for each XADD since its snapshot under a load of
    // pipelined XADDs to a thousand streams.
    private static Task<List<(long, byte[])>?> ReadRunsAsync(SqliteConnection connection, JournalRow[] rows)
    {
        var journal = new List<(long, byte[])>(rows.Length);
        sqlite3_blob? blob = null;
        try
        {
            foreach (var row in rows)
            {
                var opened = blob is null
                    ? raw.sqlite3_blob_open(connection.Handle, "main", "journal", "runs", row.Seq, 0, out blob)
                    : raw.sqlite3_blob_reopen(blob, row.Seq);
                if (opened != raw.SQLITE_OK || row.Offset + row.Length > raw.sqlite3_blob_bytes(blob))
                {
                    return Task.FromResult<List<(long, byte[])>?>(null);
                }

                var records = new byte[row.Length];
                var read = raw.sqlite3_blob_read(blob, records, row.Offset);
                if (read != raw.SQLITE_OK)
                {
                    throw new SqliteException($"Reading the journal row {row.Seq} failed.", read);
                }

                journal.Add((row.FirstVersion, records));
            }
        }
        finally
        {
            blob?.Dispose();
        }

        return Task.FromResult<List<(long, byte[])>?>(journal);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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
            foreach (var operation in _coalescer.Coalesce(batch))
            {
                statements.Apply(operation, index);
            }

            statements.WritePage(index);
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
        command.CommandText = "SELECT seq, runs FROM journal ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            loader.Page(reader, 0, 1);
        }

        loader.Complete();
    }

    // A connection for reads, which reads the database file through a memory map: a stream's
    // activation reads a run from each of hundreds of pages, and each page was a pread (or
    // several, along its overflow pages), all of them again for the next stream, whose runs share
    // those pages (a reader's page cache is dropped whenever the writer has committed meanwhile).
    // After a million XADDs to a thousand streams and a restart, reading every stream once took
    // 7.4 s; 1.3 s mapped. Pages in the WAL file are still read with pread, and the writer reads
    // and writes as before, so a full disk is still an error. (A disk failing reads would end the
    // process with SIGBUS on a mapped page, where pread failed the read.)
    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA mmap_size={ReaderMapBytes}", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
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
        private readonly PageInsert _insertPage;
        private readonly SqliteCommand _readPage;
        private readonly SqliteCommand _snapshot;
        private readonly SqliteCommand _expiry;
        private readonly SqliteCommand _deleteGrain;
        private readonly SqliteCommand _deleteRows;

        public Statements(SqliteConnection connection)
        {
            _ensureGrain = Prepare(connection, "INSERT INTO grains (grain_type, grain_key, journal_from) VALUES ($type, $key, $from) ON CONFLICT DO NOTHING");
            _insertPage = new PageInsert(connection);
            _readPage = Prepare(connection, "SELECT runs FROM journal WHERE seq = $seq");
            _snapshot = Prepare(
                connection,
                "INSERT INTO grains (grain_type, grain_key, snapshot, snapshot_version, expires_at, journal_from) VALUES ($type, $key, $data, $version, $expires, $from) " +
                "ON CONFLICT (grain_type, grain_key) DO UPDATE SET snapshot = excluded.snapshot, snapshot_version = excluded.snapshot_version, expires_at = excluded.expires_at");
            _expiry = Prepare(connection, "UPDATE grains SET expires_at = $expires WHERE grain_type = $type AND grain_key = $key");
            _deleteGrain = Prepare(connection, "DELETE FROM grains WHERE grain_type = $type AND grain_key = $key");
            _deleteRows = Prepare(connection, "DELETE FROM journal WHERE seq BETWEEN $first AND $last");
        }

        // The commit's page.
        private readonly JournalPage _page = new();

        public void Enlist(SqliteTransaction transaction)
        {
            foreach (var command in All())
            {
                command.Transaction = transaction;
            }
        }

        public void Apply(StorageOperation operation, JournalIndex.Batch index)
        {
            if (operation is AppendRecords append)
            {
                index.AppendToPage(append, out var newGrain);
                if (newGrain)
                {
                    Run(_ensureGrain, append.GrainType, KeyBytes(append.GrainKey), from: index.PageSeq);
                }

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
            _insertPage.Dispose();
            foreach (var command in All())
            {
                command.Dispose();
            }
        }

        /// <summary>
        /// Writes the commit's page: its live appends, then the live runs it copies out of the
        /// oldest pages, when those hold too many dead ones.
        /// </summary>
        public void WritePage(JournalIndex.Batch index)
        {
            index.WriteAppends(_page);

            // The runs moved out of a page come together: the page is read once for all of them.
            byte[] from = [];
            var fromSeq = 0L;
            foreach (var (_, move) in index.Compact(_page.Length))
            {
                if (move.From.Seq != fromSeq)
                {
                    fromSeq = move.From.Seq;
                    _readPage.Parameters["$seq"].Value = fromSeq;
                    from = _readPage.ExecuteScalar() as byte[] ?? [];
                }

                if (move.Start + move.Length > from.Length)
                {
                    throw new InvalidOperationException($"The journal row {fromSeq} is missing, or shorter than the index says.");
                }

                _page.AddCopy(from.AsSpan(move.Start, move.Length));
            }

            if (_page.Length > 0)
            {
                _insertPage.Run(index.PageSeq, _page.Bytes);
                index.PageWritten(_page.Length);
            }
        }

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
            foreach (var name in (string[])["$first", "$last", "$from", "$seq", "$type", "$key", "$version", "$data", "$expires"])
            {
                if (sql.Contains(name, StringComparison.Ordinal))
                {
                    command.Parameters.Add(new SqliteParameter(name, null));
                }
            }

            return command;
        }

        private IEnumerable<SqliteCommand> All() => [_ensureGrain, _readPage, _snapshot, _expiry, _deleteGrain, _deleteRows];
    }

    // The journal's pages, inserted through SQLite's own API: SqliteCommand's work per execution (a
    // data reader, parameters found by name, values boxed) cost more than the insert. It shares the
    // connection with the commands, and so their transaction; SQLite copies the page as it is bound.
    private sealed class PageInsert : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly sqlite3_stmt _statement;

        public PageInsert(SqliteConnection connection)
        {
            _connection = connection;
            var result = raw.sqlite3_prepare_v2(connection.Handle, "INSERT INTO journal (seq, runs) VALUES (?1, ?2)", out _statement);
            SqliteException.ThrowExceptionForRC(result, connection.Handle);
        }

        public void Run(long seq, ReadOnlySpan<byte> page)
        {
            raw.sqlite3_bind_int64(_statement, 1, seq);
            raw.sqlite3_bind_blob(_statement, 2, page);
            try
            {
                var result = raw.sqlite3_step(_statement);
                if (result != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(result, _connection.Handle);
                }
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public void Dispose() => _statement.Dispose();
    }
}
