using System.Globalization;
using Microsoft.Data.Sqlite;
using Platform.Silo.Storage;
using Platform.Silo.Storage.Sqlite;

namespace Platform.Silo.Tests.Storage;

/// <summary>The storage contract on SQLite, in a directory of the test's own.</summary>
public sealed class SqliteGrainStorageTests : RelationalGrainStorageContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("platform-sqlite-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override async Task<IGrainStorage> OpenAsync()
    {
        var storage = new SqliteGrainStorage(_directory);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    /// <summary>
    /// A snapshot's commit leaves the grain's old rows, which lie among other grains' rows, to the
    /// commits after it: deleted together, oldest first, they cost a few pages instead of one each.
    /// </summary>
    [Fact]
    public async Task A_snapshot_leaves_its_old_rows_to_the_next_commit()
    {
        for (var version = 1; version <= 3; version++)
        {
            await CommitAsync(Append("a", version, 1), Append("b", version, 1));
        }

        await CommitAsync(Snapshot("a", 3, "sa", -1));
        Assert.Equal(6, await JournalRowsAsync());
        Assert.Empty((await ReadAsync("a"))!.Journal);

        await CommitAsync(Append("b", 4, 1));
        Assert.Equal(4, await JournalRowsAsync());
        Assert.Equal(StorageData.Range(1, 4), StorageData.Versions(await ReadAsync("b")));
        Assert.Empty((await ReadAsync("a"))!.Journal);
    }

    /// <summary>
    /// Rows a snapshot or a deletion left in the table are found dead when the store opens again:
    /// never read back, no obstacle to a deleted grain's versions starting again, and deleted by the
    /// next commit.
    /// </summary>
    [Fact]
    public async Task Rows_left_by_a_snapshot_or_a_deletion_stay_dead_after_a_restart()
    {
        await CommitAsync(Append("a", 1, 2), Append("b", 1, 2));
        await CommitAsync(Snapshot("a", 2, "sa", -1), new DeleteGrain(Type, "b"));
        Assert.Equal(2, await JournalRowsAsync());

        await using var reopened = await OpenAsync();
        var a = await reopened.ReadAsync(Type, "a", CancellationToken.None);
        Assert.Equal(StorageData.Bytes("sa"), a!.Snapshot);
        Assert.Empty(a.Journal);
        Assert.Null(await reopened.ReadAsync(Type, "b", CancellationToken.None));

        await reopened.CommitAsync([Append("b", 1, 1)], CancellationToken.None);
        Assert.Equal([1L], StorageData.Versions(await reopened.ReadAsync(Type, "b", CancellationToken.None)));
        Assert.Equal(1, await JournalRowsAsync());
    }

    /// <summary>
    /// A key deleted and made again starts a new life: the rows of its earlier life, still in the
    /// table at a restart, are not taken for the new one's, though their versions are the same.
    /// </summary>
    [Fact]
    public async Task Rows_of_a_key_s_earlier_life_stay_dead_after_a_restart()
    {
        await CommitAsync(Append("k", 1, 2), Append("other", 1, 1));
        await CommitAsync(new DeleteGrain(Type, "k"), Append("k", 1, 1));
        Assert.Equal(3, await JournalRowsAsync());

        await using var reopened = await OpenAsync();
        var k = await reopened.ReadAsync(Type, "k", CancellationToken.None);
        Assert.Null(k!.Snapshot);
        Assert.Equal([1L], StorageData.Versions(k));
        Assert.Equal([1L], StorageData.Versions(await reopened.ReadAsync(Type, "other", CancellationToken.None)));
    }

    protected override async Task<IAsyncDisposable> RejectJournalRowsAsync(string key)
    {
        // A trigger aborts the statement that inserts the row, as a full disk or an I/O error would.
        var trigger = "reject_" + Guid.NewGuid().ToString("N");
        await SqliteFiles.ExecuteAsync(
            _directory,
            $"CREATE TRIGGER {trigger} BEFORE INSERT ON journal " +
            $"WHEN NEW.grain_type = '{Type}' AND NEW.grain_key = X'{Convert.ToHexString(StorageData.Bytes(key))}' " +
            "BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END;");
        return new Undo(() => SqliteFiles.ExecuteAsync(_directory, $"DROP TRIGGER {trigger};"));
    }

    private async Task<long> JournalRowsAsync() => Convert.ToInt64(await SqliteFiles.ScalarAsync(_directory, "SELECT count(*) FROM journal"), CultureInfo.InvariantCulture);
}
