using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Platform.Silo.Storage.PostgreSql;

/// <summary>
/// The production provider: PostgreSQL through Npgsql. A commit is one batch of statements, which
/// PostgreSQL runs as one implicit transaction (one round trip, one WAL flush). Its appends, for
/// all its grains, are one journal row, a page (<see cref="JournalPage"/>): a row per grain cost
/// PostgreSQL a tuple, a WAL record and an index entry each, to insert and again to delete. Journal
/// rows are keyed by a sequence, which runs are whose, and where in their page, indexed in memory
/// (<see cref="JournalIndex"/>), as in the SQLite store. A database therefore serves one server at
/// a time, which holds an advisory lock on it from start to end (<see cref="OwnerLock"/>).
/// </summary>
public sealed class PostgreSqlGrainStorage(string connectionString) : IGrainStorage
{
    // The advisory lock a server holds on its database ("platform" in ASCII): advisory locks are
    // per database, so servers of other databases on the same PostgreSQL do not meet it.
    internal const long OwnerLock = 0x706C6174666F726D;

    // The owner's session prepares the statements commits run, unless the connection string says
    // otherwise: there are a few, each run over and over, and PostgreSQL parsed and planned each
    // statement of every commit, on the commit's path.
    private const int CommitStatements = 16;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    // The session that holds the owner lock, open until the store is disposed, in which commits
    // run. A second server numbering rows from what it found at its start would collide with the
    // first's rows, and each would overwrite the other's snapshots.
    private NpgsqlConnection? _owner;

    // Set by a failed commit: the owner's session may have gone (PostgreSQL restarted, say), and the
    // lock with it, so the next commit makes sure of it first.
    private bool _ownerInDoubt;

    // Set by a failed commit, cleared by the next that succeeds: the failed one may have committed
    // all the same (the connection broke after PostgreSQL committed, before its reply arrived), and
    // its page then holds the number the retry writes. The retry's batch is the failed one and what
    // came since, so its page holds every run the failed one did that still lives: it replaces it.
    private bool _pageInDoubt;

    // Also knows which grains have a row in the grains table: an append to one of them needs no
    // insert into grains, which was a statement per commit and an index probe per row, for rows
    // that were nearly always there.
    private readonly JournalIndex _index = new();

    // The commit's coalescer and page; only the writer uses them.
    private readonly OperationBatch _coalescer = new();
    private readonly JournalPage _page = new();

    /// <param name="connectionString">Npgsql's connection string.</param>
    /// <param name="compactionSlack">How many more dead bytes than live ones the journal's pages
    /// may hold before commits copy live runs out of the oldest (<see cref="JournalIndex"/>).</param>
    internal PostgreSqlGrainStorage(string connectionString, long compactionSlack)
        : this(connectionString) => _index = new JournalIndex(compactionSlack);

    /// <inheritdoc/>
    public string Name => "postgresql";

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            _owner = await TakeOwnershipAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await SchemaMigrator.MigrateAsync(
                new PostgreSqlSchemaStore(connection), typeof(PostgreSqlGrainStorage).Assembly, "PostgreSql.Schema", cancellationToken).ConfigureAwait(false);
            await LoadIndexAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidDataException)
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

        var journal = await _index.ReadRunsAsync(
            new GrainName(grainType, grainKey), version, rows => ReadRunsAsync(connection, rows, cancellationToken), "PostgreSQL's journal table").ConfigureAwait(false);
        return new StoredGrain(snapshot, version, expires, journal);
    }

    // Each run's first version and records, or null if any is not where the run says.
    private static async Task<List<(long, byte[])>?> ReadRunsAsync(NpgsqlConnection connection, JournalRow[] rows, CancellationToken cancellationToken)
    {
        var records = new byte[rows.Length][];
        if (rows.Length == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            "SELECT r.number, substring(j.runs FROM r.start FOR r.length) " +
            "FROM unnest($1::bigint[], $2::int[], $3::int[]) WITH ORDINALITY AS r(seq, start, length, number) JOIN journal j ON j.seq = r.seq",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Seq).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Offset + 1).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Length).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records[reader.GetInt64(0) - 1] = (byte[])reader.GetValue(1);
        }

        var journal = new List<(long, byte[])>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            if (records[i]?.Length != rows[i].Length)
            {
                return null;
            }

            journal.Add((rows[i].FirstVersion, records[i]));
        }

        return journal;
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
        if (_ownerInDoubt)
        {
            await KeepOwnershipAsync(cancellationToken).ConfigureAwait(false);
            _ownerInDoubt = false;
        }

        var index = _index.Begin();
        try
        {
            // Commits run in the owner's session: a commit that succeeds was made under the lock.
            var connection = _owner!;

            // Without a transaction of its own, a batch is one implicit transaction: all or nothing.
            await using var statements = new NpgsqlBatch(connection);
            var newGrains = new NewGrains();
            foreach (var operation in _coalescer.Coalesce(batch))
            {
                if (operation is AppendRecords append)
                {
                    index.AppendToPage(append, out var newGrain);
                    if (newGrain)
                    {
                        newGrains.Add(append, index.PageSeq);
                    }

                    continue;
                }

                // Statements run in order: the grains rows the appends before this operation make go first.
                newGrains.AddTo(statements);
                var key = Encoding.Latin1.GetBytes(operation.GrainKey);
                switch (operation)
                {
                    case WriteSnapshot snapshot:
                        var from = index.Snapshot(snapshot.Grain, snapshot.Version);
                        Add(
                            statements,
                            "INSERT INTO grains (grain_type, grain_key, snapshot, snapshot_version, expires_at, journal_from) VALUES ($1, $2, $4, $3, $5, $6) " +
                            "ON CONFLICT (grain_type, grain_key) DO UPDATE SET snapshot = excluded.snapshot, snapshot_version = excluded.snapshot_version, expires_at = excluded.expires_at",
                            snapshot.GrainType, key, snapshot.Version, snapshot.Snapshot, snapshot.ExpiresAtMs, from);
                        break;
                    case SetExpiry expiry:
                        Add(statements, "UPDATE grains SET expires_at = $3 WHERE grain_type = $1 AND grain_key = $2", expiry.GrainType, key, expiry.ExpiresAtMs);
                        break;
                    case DeleteGrain delete:
                        index.Delete(delete.Grain);
                        Add(statements, "DELETE FROM grains WHERE grain_type = $1 AND grain_key = $2", delete.GrainType, key);
                        break;
                }
            }

            newGrains.AddTo(statements);
            AddPage(statements, index);
            foreach (var (first, last) in index.TakeDeadRuns())
            {
                var delete = new NpgsqlBatchCommand("DELETE FROM journal WHERE seq BETWEEN $1 AND $2");
                delete.Parameters.Add(new NpgsqlParameter { Value = first });
                delete.Parameters.Add(new NpgsqlParameter { Value = last });
                statements.BatchCommands.Add(delete);
            }

            if (statements.BatchCommands.Count > 0)
            {
                await statements.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _ownerInDoubt = true;
            _pageInDoubt = true;
            index.Abandon();
            throw;
        }

        _pageInDoubt = false;
        index.Apply();
    }

    private async Task LoadIndexAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var loader = _index.Load();
        await using (var command = new NpgsqlCommand("SELECT grain_type, grain_key, snapshot_version, journal_from FROM grains", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                loader.Grain(new GrainName(reader.GetString(0), Encoding.Latin1.GetString((byte[])reader.GetValue(1))), reader.GetInt64(2), reader.GetInt64(3));
            }
        }

        await using (var command = new NpgsqlCommand("SELECT seq, runs FROM journal ORDER BY seq", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                loader.Page(reader, 0, 1);
            }
        }

        loader.Complete();
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
    public async ValueTask DisposeAsync()
    {
        // Closing the session releases the lock (a pooled connection would keep it), but only once
        // its server process has ended, after the close returns: a store opened on the database
        // at once could find the lock still held. The lock is let go first, unless the session is gone.
        if (_owner is not null)
        {
            await using (_owner.ConfigureAwait(false))
            {
                try
                {
                    await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _owner);
                    unlock.Parameters.Add(new NpgsqlParameter { Value = OwnerLock });
                    await unlock.ExecuteScalarAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                    // A broken session holds no lock.
                }

                await _owner.CloseAsync().ConfigureAwait(false);
            }
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    // The owner's session answers while it holds the lock; once gone (PostgreSQL restarted, say),
    // the lock is taken again, unless another server took it meanwhile.
    private async Task KeepOwnershipAsync(CancellationToken cancellationToken)
    {
        if (_owner is not null)
        {
            try
            {
                await using var ping = new NpgsqlCommand("SELECT 1", _owner);
                await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // A broken session: it is let go below.
            }

            await _owner.DisposeAsync().ConfigureAwait(false);
            _owner = null;
        }

        _owner = await TakeOwnershipAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> TakeOwnershipAsync(CancellationToken cancellationToken)
    {
        // Not from the pool: its session must end with the store, and the lock with it. Nor
        // multiplexed, which needs the pool (a connection string may ask for it for the reads).
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Multiplexing = false };
        if (!SetsMaxAutoPrepare(connectionString))
        {
            settings.MaxAutoPrepare = CommitStatements;
        }

        var owner = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            await owner.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", owner);
            command.Parameters.Add(new NpgsqlParameter { Value = OwnerLock });
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new InvalidOperationException(
                    $"Cannot use the PostgreSQL database {owner.Database}: another platform server is using it. A database serves one server at a time.");
            }

            return owner;
        }
        catch
        {
            await owner.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Whether the connection string says how many statements to prepare, be it none. Npgsql takes
    // its keywords in any case, with or without their spaces.
    private static bool SetsMaxAutoPrepare(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(keyword => keyword.Replace(" ", "", StringComparison.Ordinal).Equals(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare), StringComparison.OrdinalIgnoreCase));

    private static void Add(NpgsqlBatch batch, string sql, string type, byte[] key, long? number = null, byte[]? data = null, long? expires = null, long? journalFrom = null)
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

        if (journalFrom is { } f)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = f });
        }

        batch.BatchCommands.Add(command);
    }

    // The commit's page: its live appends, then the live runs it copies out of the oldest pages,
    // when those hold too many dead ones. The copies are made by PostgreSQL, from the old pages.
    private void AddPage(NpgsqlBatch statements, JournalIndex.Batch index)
    {
        index.WriteAppends(_page);
        var moves = index.Compact(_page.Length);
        if (_page.Length == 0 && moves.Count == 0)
        {
            return;
        }

        var own = _page.Bytes.ToArray();
        var replace = _pageInDoubt ? " ON CONFLICT (seq) DO UPDATE SET runs = excluded.runs" : "";
        NpgsqlBatchCommand insert;
        if (moves.Count == 0)
        {
            insert = new NpgsqlBatchCommand("INSERT INTO journal (seq, runs) VALUES ($1, $2)" + replace);
            insert.Parameters.Add(new NpgsqlParameter { Value = index.PageSeq });
            insert.Parameters.Add(new NpgsqlParameter { Value = own, NpgsqlDbType = NpgsqlDbType.Bytea });
            index.PageWritten(own.Length);
        }
        else
        {
            // A page that comes out shorter than planned (an old page missing) is null, which the
            // table refuses: the commit fails rather than store runs where the index does not say.
            var length = own.Length + moves.Sum(m => m.Move.Length);
            // A run is a substring of its old page, which PostgreSQL reads from the chunks that
            // hold it. A page written compressed (before schema 4) is decompressed once, into the
            // materialized CTE (runs || '' makes it a value of its own): a substring of it would
            // decompress the page again for every run.
            insert = new NpgsqlBatchCommand(
                "WITH old AS MATERIALIZED (SELECT seq, runs || ''::bytea AS runs FROM journal WHERE seq = ANY($3) AND pg_column_size(runs) < octet_length(runs)) " +
                "INSERT INTO journal (seq, runs) SELECT $1, CASE WHEN octet_length(page) = $6 THEN page END FROM (SELECT $2 || " +
                "(SELECT string_agg(substring(COALESCE(o.runs, j.runs) FROM m.start FOR m.length), ''::bytea ORDER BY m.number) " +
                "FROM unnest($3::bigint[], $4::int[], $5::int[]) WITH ORDINALITY AS m(seq, start, length, number) " +
                "JOIN journal AS j ON j.seq = m.seq LEFT JOIN old AS o ON o.seq = m.seq) AS page) AS built" + replace);
            insert.Parameters.Add(new NpgsqlParameter { Value = index.PageSeq });
            insert.Parameters.Add(new NpgsqlParameter { Value = own, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = moves.Select(m => m.Move.From.Seq).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = moves.Select(m => m.Move.Start + 1).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = moves.Select(m => m.Move.Length).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = length });
            index.PageWritten(length);
        }

        statements.BatchCommands.Add(insert);
    }

    // The grains rows that appends to new grains make, one statement for a run of them: a
    // statement per row cost PostgreSQL more than the rows themselves.
    private sealed class NewGrains
    {
        private readonly List<string> _types = [];
        private readonly List<byte[]> _keys = [];
        private readonly List<long> _from = [];

        public void Add(AppendRecords append, long journalFrom)
        {
            _types.Add(append.GrainType);
            _keys.Add(Encoding.Latin1.GetBytes(append.GrainKey));
            _from.Add(journalFrom);
        }

        public void AddTo(NpgsqlBatch batch)
        {
            if (_types.Count == 0)
            {
                return;
            }

            var grains = new NpgsqlBatchCommand(
                "INSERT INTO grains (grain_type, grain_key, journal_from) SELECT * FROM unnest($1::text[], $2::bytea[], $3::bigint[]) ON CONFLICT DO NOTHING");
            grains.Parameters.Add(new NpgsqlParameter { Value = _types.ToArray() });
            grains.Parameters.Add(new NpgsqlParameter { Value = _keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            grains.Parameters.Add(new NpgsqlParameter { Value = _from.ToArray() });
            batch.BatchCommands.Add(grains);
            _types.Clear();
            _keys.Clear();
            _from.Clear();
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
