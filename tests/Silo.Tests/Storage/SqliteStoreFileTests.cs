using Microsoft.Data.Sqlite;
using Platform.Silo.Storage;
using Platform.Silo.Storage.Sqlite;
using static Platform.Silo.Tests.Storage.StorageData;

namespace Platform.Silo.Tests.Storage;

/// <summary>The SQLite provider's file: what survives a reopen, and what it refuses to touch.</summary>
public sealed class SqliteStoreFileTests : IDisposable
{
    private const string Type = "stream";

    private readonly string _directory = Directory.CreateTempSubdirectory("platform-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, SqliteGrainStorage.FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_reopened_store_sees_everything_committed()
    {
        string[] keys = ["0:a", "0:b", "0:c", "0:\0\u00ff", "1:a"];
        string before;
        await using (var storage = await OpenAsync())
        {
            await storage.CommitAsync(
                [new AppendRecords(Type, "0:a", 1, Records(1, 2)), new AppendRecords(Type, "0:b", 1, Records(1, 1)), new AppendRecords(Type, "0:c", 1, Records(1, 1))],
                CancellationToken.None);

            await storage.CommitAsync(
                [new WriteSnapshot(Type, "0:a", 2, Bytes("snap"), 1234), new AppendRecords(Type, "0:a", 3, Records(3, 1)), new SetExpiry(Type, "0:b", 99)],
                CancellationToken.None);

            await storage.CommitAsync(
                [new DeleteGrain(Type, "0:c"), new AppendRecords(Type, "0:\0\u00ff", 1, Records(1, 3)), new AppendRecords(Type, "1:a", 1, Records(1, 1))],
                CancellationToken.None);

            await storage.CommitAsync([new AppendRecords(Type, "0:a", 4, Records(4, 2))], CancellationToken.None);
            before = await DumpAsync(storage, Type, keys);
        }

        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(DatabasePath + "-wal"), "the last connection's close checkpoints the WAL");

        // A second open finds its schema current and applies nothing (a rerun of 001 would fail: its tables exist).
        await using var reopened = await OpenAsync();
        Assert.Equal(before, await DumpAsync(reopened, Type, keys));
        var a = await reopened.ReadAsync(Type, "0:a", CancellationToken.None);
        Assert.Equal(Bytes("snap"), a!.Snapshot);
        Assert.Equal([3L, 4L, 5L], Versions(a));
        Assert.Null(await reopened.ReadAsync(Type, "0:c", CancellationToken.None));
        Assert.Equal(4L, await SqliteFiles.ScalarAsync(_directory, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task A_store_of_the_first_schema_gets_its_journal_keyed_by_sequence_with_each_grain_in_order()
    {
        // The first schema as it shipped: the journal keyed by (grain, first version).
        var schema = typeof(SqliteGrainStorage).Assembly.GetManifestResourceStream("Sqlite.Schema.001_grains.sql")!;
        await File.WriteAllBytesAsync(DatabasePath, []); // an empty file is an empty database
        await SqliteFiles.ExecuteAsync(_directory, await new StreamReader(schema).ReadToEndAsync() + $"""
            CREATE TABLE schema_version (version INTEGER NOT NULL);
            INSERT INTO schema_version (version) VALUES (1);
            INSERT INTO grains (grain_type, grain_key) VALUES ('{Type}', X'{Hex("0:a")}'), ('{Type}', X'{Hex("0:b")}');
            INSERT INTO journal (grain_type, grain_key, first_version, records) VALUES
                ('{Type}', X'{Hex("0:b")}', 1, X'{Convert.ToHexString(Records(1, 1))}'),
                ('{Type}', X'{Hex("0:a")}', 3, X'{Convert.ToHexString(Records(3, 1))}'),
                ('{Type}', X'{Hex("0:a")}', 1, X'{Convert.ToHexString(Records(1, 2))}');
            """);

        await using var storage = await OpenAsync();
        Assert.Equal([1L, 2L, 3L], Versions(await storage.ReadAsync(Type, "0:a", CancellationToken.None)));
        await storage.CommitAsync([new AppendRecords(Type, "0:a", 4, Records(4, 1))], CancellationToken.None);
        Assert.Equal([1L, 2L, 3L, 4L], Versions(await storage.ReadAsync(Type, "0:a", CancellationToken.None)));
        Assert.Equal([1L], Versions(await storage.ReadAsync(Type, "0:b", CancellationToken.None)));
        Assert.Equal(4L, await SqliteFiles.ScalarAsync(_directory, "SELECT MAX(version) FROM schema_version"));

        static string Hex(string key) => Convert.ToHexString(Bytes(key));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("binary")]
    [InlineData("sqlite header, garbage after")]
    public async Task A_file_that_is_not_a_database_is_refused_and_left_unchanged(string kind)
    {
        byte[] garbage = kind switch
        {
            "text" => Bytes("this is not a database\n"),
            "binary" => [.. Enumerable.Range(0, 8192).Select(i => (byte)((i * 31) + 7))],
            _ => [.. Bytes("SQLite format 3\0"), .. Enumerable.Range(0, 4080).Select(i => (byte)((i * 17) + 3))],
        };
        await File.WriteAllBytesAsync(DatabasePath, garbage);
        var modified = File.GetLastWriteTimeUtc(DatabasePath);

        var storage = new SqliteGrainStorage(_directory);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.InitializeAsync(CancellationToken.None));
        await storage.DisposeAsync();
        SqliteConnection.ClearAllPools();

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("The file was not changed.", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(DatabasePath));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(DatabasePath));
    }

    /// <summary>A journal row that is not a page of runs stops the start with a clear error, and the file is left as it was.</summary>
    [Fact]
    public async Task A_journal_row_that_is_not_a_page_is_refused_and_left_unchanged()
    {
        var error = await RefusedAfterAsync("INSERT INTO journal (seq, runs) VALUES (999, X'0006737472');");
        Assert.Contains("The journal row 999 is not a page of runs", error.Message, StringComparison.Ordinal);
        Assert.Contains("The file was not changed.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused_and_left_unchanged()
    {
        var error = await RefusedAfterAsync("INSERT INTO schema_version (version) VALUES (999);");
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Equal(999L, await SqliteFiles.ScalarAsync(_directory, "SELECT MAX(version) FROM schema_version"));
    }

    // A store holding one record, changed by sql behind its back, then opened again: the open's
    // error, once the file is found left as it was.
    private async Task<InvalidOperationException> RefusedAfterAsync(string sql)
    {
        await using (var storage = await OpenAsync())
        {
            await storage.CommitAsync([new AppendRecords(Type, "0:a", 1, Records(1, 1))], CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        await SqliteFiles.ExecuteAsync(_directory, sql);
        var bytes = await File.ReadAllBytesAsync(DatabasePath);
        Assert.False(File.Exists(DatabasePath + "-wal"));

        var refused = new SqliteGrainStorage(_directory);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.InitializeAsync(CancellationToken.None));
        await refused.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Assert.Equal(bytes, await File.ReadAllBytesAsync(DatabasePath));
        return error;
    }

    private async Task<SqliteGrainStorage> OpenAsync()
    {
        var storage = new SqliteGrainStorage(_directory);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }
}
