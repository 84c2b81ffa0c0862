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

    /// <summary>
    /// A database serves one store at a time: a second one's start fails clearly and changes
    /// nothing; once the first is closed, the next opens and reads what the first committed.
    /// </summary>
    [Fact]
    public async Task A_second_store_on_a_database_in_use_fails_to_open_until_the_first_is_closed()
    {
        await Storage.CommitAsync([Append("k", 1, 2)], CancellationToken.None);

        await using (var second = new PostgreSqlGrainStorage(_connectionString))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.InitializeAsync(CancellationToken.None));
            Assert.Contains("another platform server is using it", error.Message, StringComparison.Ordinal);
        }

        await Storage.CommitAsync([Append("k", 3, 1)], CancellationToken.None);
        var reopened = await RestartAsync();
        Assert.Equal([1L, 2L, 3L], StorageData.Versions(await reopened.ReadAsync(Type, "k", CancellationToken.None)));
    }

    /// <summary>
    /// When the session holding the lock goes (its server process ended by PostgreSQL: a restart
    /// ends them all), the commit under way fails and the next takes the lock again, unless
    /// another store took it meanwhile: then commits fail, and none is made without the lock.
    /// </summary>
    [Fact]
    public async Task After_losing_its_session_a_store_commits_again_only_once_it_holds_the_lock_again()
    {
        await Storage.CommitAsync([Append("k", 1, 1)], CancellationToken.None);
        await EndOwnerSessionAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => Storage.CommitAsync([Append("k", 2, 1)], CancellationToken.None));
        await Storage.CommitAsync([Append("k", 2, 1)], CancellationToken.None);

        await EndOwnerSessionAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => Storage.CommitAsync([Append("k", 3, 1)], CancellationToken.None));
        await using (var other = new PostgreSqlGrainStorage(_connectionString))
        {
            await other.InitializeAsync(CancellationToken.None);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.CommitAsync([Append("k", 3, 1)], CancellationToken.None));
            Assert.Contains("another platform server is using it", error.Message, StringComparison.Ordinal);
        }

        await Storage.CommitAsync([Append("k", 3, 1)], CancellationToken.None);
        Assert.Equal([1L, 2L, 3L], StorageData.Versions(await Storage.ReadAsync(Type, "k", CancellationToken.None)));
    }

    /// <summary>
    /// A commit made by PostgreSQL whose reply is lost (the connection broke in between) fails for
    /// the store, which retries it with what came since, under the same page number: the retry
    /// replaces the page rather than failing on it for ever, and nothing is stored twice. Also
    /// when the page copies live runs out of an old one (compaction).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_made_but_whose_reply_was_lost_is_replaced_by_its_retry(bool compacting)
    {
        var database = await postgres.NewDatabaseAsync();
        await using var proxy = ReplyCuttingProxy.Start(new NpgsqlConnectionStringBuilder(database).Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(database) { Port = proxy.Port }.ConnectionString;
        await using (var store = new PostgreSqlGrainStorage(throughProxy, compacting ? 0 : JournalIndex.DefaultCompactionSlack))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.CommitAsync([Append("k", 1, 1), Append("a", 1, 20), Append("b", 1, 1)], CancellationToken.None);

            // Its first page is now mostly dead: a compacting store's next page takes k's and b's runs out of it.
            await store.CommitAsync([new WriteSnapshot(Type, "a", 20, [9], -1)], CancellationToken.None);

            proxy.CutAtNextReply();
            List<StorageOperation> failed = [Append("k", 2, 1), Append("j", 1, 2)];
            await Assert.ThrowsAnyAsync<Exception>(() => store.CommitAsync(failed, CancellationToken.None));
            Assert.Equal(1, proxy.Cuts);
            Assert.Equal(2, await JournalRowsAsync(database));

            // As the journal retries: the failed batch, then what came since.
            List<StorageOperation> retry = [.. failed, Append("k", 3, 1), Append("new", 1, 1)];
            Exception? last = null;
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    await store.CommitAsync(retry, CancellationToken.None);
                    last = null;
                    break;
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    // The broken session may hold the lock a moment longer.
                    last = e;
                    await Task.Delay(100);
                }
            }

            Assert.Null(last);

            // Compacting, the retry's page took them, and the next commit deletes the first page.
            await store.CommitAsync([Append("k", 4, 1)], CancellationToken.None);
            Assert.Equal(compacting ? 2 : 3, await JournalRowsAsync(database));
        }

        await using var reopened = new PostgreSqlGrainStorage(database);
        await reopened.InitializeAsync(CancellationToken.None);
        Assert.Equal([1L, 2L, 3L, 4L], StorageData.Versions(await reopened.ReadAsync(Type, "k", CancellationToken.None)));
        Assert.Equal([1L, 2L], StorageData.Versions(await reopened.ReadAsync(Type, "j", CancellationToken.None)));
        Assert.Equal([1L], StorageData.Versions(await reopened.ReadAsync(Type, "new", CancellationToken.None)));
        Assert.Equal([1L], StorageData.Versions(await reopened.ReadAsync(Type, "b", CancellationToken.None)));
        Assert.Equal((20L, 0), (await reopened.ReadAsync(Type, "a", CancellationToken.None)) is { } a ? (a.SnapshotVersion, a.Journal.Count) : default);
    }

    /// <summary>
    /// The statements a commit runs are prepared in the owner's session, once each, and then only
    /// executed; unless the connection string turns Npgsql's preparing off (Max Auto Prepare=0):
    /// then PostgreSQL parses every statement of every commit.
    /// </summary>
    [Theory]
    [InlineData("", 0)]
    [InlineData(";Max Auto Prepare=0", 10)]
    public async Task Commits_run_statements_prepared_once(string options, int parsedAgain)
    {
        var database = await postgres.NewDatabaseAsync();
        await using var proxy = ReplyCuttingProxy.Start(new NpgsqlConnectionStringBuilder(database).Port);
        await using var store = new PostgreSqlGrainStorage(new NpgsqlConnectionStringBuilder(database) { Port = proxy.Port }.ConnectionString + options);
        await store.InitializeAsync(CancellationToken.None);
        for (var version = 1; version <= 10; version++)
        {
            await store.CommitAsync([Append("k", version, 1)], CancellationToken.None);
        }

        var parsed = proxy.Parses;
        for (var version = 11; version <= 20; version++)
        {
            await store.CommitAsync([Append("k", version, 1)], CancellationToken.None);
        }

        Assert.Equal(parsedAgain, proxy.Parses - parsed);
        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), StorageData.Versions(await store.ReadAsync(Type, "k", CancellationToken.None)));
    }

    /// <summary>A journal row that is not a page of runs stops the start with a clear error.</summary>
    [Fact]
    public async Task A_journal_row_that_is_not_a_page_stops_the_start()
    {
        await Storage.CommitAsync([Append("k", 1, 1)], CancellationToken.None);
        await ExecuteAsync(_connectionString, "INSERT INTO journal (seq, runs) VALUES (999, '\\x0006737472')");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(RestartAsync);
        Assert.Contains("The journal row 999 is not a page of runs", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Pages are stored uncompressed, however well they compress: a run is read by a substring of
    /// its page, which PostgreSQL answers from the chunks holding it only if the page is not compressed.
    /// </summary>
    [Fact]
    public async Task Pages_are_stored_uncompressed_so_that_a_run_is_read_without_the_rest_of_its_page()
    {
        await Storage.CommitAsync([.. Enumerable.Range(0, 100).Select(i => new AppendRecords(Type, $"k{i}", 1, new byte[1000]))], CancellationToken.None);

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT octet_length(runs), pg_column_size(runs) FROM journal", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetInt32(0) > 100_000, $"a page of {reader.GetInt32(0)} bytes");
        Assert.Equal(reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// Pages written compressed, as before schema 4, are compacted as uncompressed ones are: their
    /// live runs are copied into new pages (decompressed once each), and the old pages go.
    /// </summary>
    [Fact]
    public async Task Pages_written_compressed_are_compacted_and_their_runs_kept()
    {
        var place = await NewPlaceAsync();
        var store = await OpenCompactingAsync(place);
        try
        {
            await ExecuteAsync(place, "ALTER TABLE journal ALTER COLUMN runs SET STORAGE EXTENDED");
            for (var i = 1; i <= 20; i++)
            {
                await store.CommitAsync([Append($"cold{i}", 1, 1), Append("hot", (i * 500) - 499, 500)], CancellationToken.None);
                await store.CommitAsync([Snapshot("hot", i * 500, "hot", -1)], CancellationToken.None);
            }

            Assert.True(await CompressedPagesAsync(place) > 0);
            await ExecuteAsync(place, "ALTER TABLE journal ALTER COLUMN runs SET STORAGE EXTERNAL");
            for (var i = 21; i <= 60; i++)
            {
                await store.CommitAsync([Append($"cold{i}", 1, 1), Append("hot", (i * 500) - 499, 500)], CancellationToken.None);
                await store.CommitAsync([Snapshot("hot", i * 500, "hot", -1)], CancellationToken.None);
            }

            Assert.Equal(0, await CompressedPagesAsync(place));
            await store.DisposeAsync();
            store = await OpenCompactingAsync(place);
            for (var i = 1; i <= 60; i++)
            {
                Assert.Equal([1L], StorageData.Versions(await store.ReadAsync(Type, $"cold{i}", CancellationToken.None)));
            }
        }
        finally
        {
            await store.DisposeAsync();
        }

        static async Task<long> CompressedPagesAsync(string place)
        {
            await using var connection = new NpgsqlConnection(place);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM journal WHERE pg_column_size(runs) < octet_length(runs)", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    /// <summary>The owner's session is opened outside the pool whatever the connection string asks of pooling.</summary>
    [Theory]
    [InlineData(";Multiplexing=true")]
    [InlineData(";Pooling=false")]
    [InlineData(";Maximum Pool Size=1")]
    public async Task A_store_opens_and_commits_whatever_the_connection_string_says_of_pooling(string options)
    {
        await using var store = new PostgreSqlGrainStorage(await postgres.NewDatabaseAsync() + options);
        await store.InitializeAsync(CancellationToken.None);
        await store.CommitAsync([Append("k", 1, 2)], CancellationToken.None);
        Assert.Equal([1L, 2L], StorageData.Versions(await store.ReadAsync(Type, "k", CancellationToken.None)));
    }

    protected override async Task<IGrainStorage> OpenAsync()
    {
        var storage = new PostgreSqlGrainStorage(_connectionString);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    protected override Task<long> JournalRowsAsync() => JournalRowsAsync(_connectionString);

    protected override Task<string> NewPlaceAsync() => postgres.NewDatabaseAsync();

    protected override async Task<IGrainStorage> OpenCompactingAsync(string place)
    {
        var storage = new PostgreSqlGrainStorage(place, compactionSlack: 0);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    protected override async Task<long> JournalRowsAsync(string place)
    {
        await using var connection = new NpgsqlConnection(place);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM journal", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task<IAsyncDisposable> RejectJournalRowsAsync(string key)
    {
        // A check constraint (the tables' owner may add one) fails the statement that inserts a
        // page holding a run of the grain: its header, the grain's type and key, found in the page.
        var constraint = "reject_" + Guid.NewGuid().ToString("N");
        var page = new JournalPage();
        page.Add(new GrainName(Type, key), 0, [0]);
        var header = Convert.ToHexString(page.Bytes[..^13]);
        await ExecuteAsync(
            _connectionString,
            $"ALTER TABLE journal ADD CONSTRAINT {constraint} CHECK (position('\\x{header}'::bytea IN runs) = 0) NOT VALID");
        return new Undo(() => ExecuteAsync(_connectionString, $"ALTER TABLE journal DROP CONSTRAINT {constraint}"));
    }

    // Ends the session holding the store's advisory lock, as PostgreSQL ends its sessions when it stops.
    private Task EndOwnerSessionAsync() => ExecuteAsync(
        _connectionString,
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
