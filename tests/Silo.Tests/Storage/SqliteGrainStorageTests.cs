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

    protected override async Task<long> JournalRowsAsync() =>
        Convert.ToInt64(await SqliteFiles.ScalarAsync(_directory, $"SELECT count(*) FROM journal WHERE grain_type = '{Type}'"), CultureInfo.InvariantCulture);
}
