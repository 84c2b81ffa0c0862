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
        // A trigger aborts the statement that inserts a page holding a run of the grain (its
        // header, the grain's type and key, found in the page), as a full disk or an I/O error would.
        var trigger = "reject_" + Guid.NewGuid().ToString("N");
        var page = new JournalPage();
        page.Add(new GrainName(Type, key), 0, [0]);
        await SqliteFiles.ExecuteAsync(
            _directory,
            $"CREATE TRIGGER {trigger} BEFORE INSERT ON journal " +
            $"WHEN instr(NEW.runs, X'{Convert.ToHexString(page.Bytes[..^13])}') > 0 " +
            "BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END;");
        return new Undo(() => SqliteFiles.ExecuteAsync(_directory, $"DROP TRIGGER {trigger};"));
    }

    protected override Task<long> JournalRowsAsync() => JournalRowsAsync(_directory);

    protected override Task<string> NewPlaceAsync()
    {
        var place = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(place);
        return Task.FromResult(place);
    }

    protected override async Task<IGrainStorage> OpenCompactingAsync(string place)
    {
        var storage = new SqliteGrainStorage(place, compactionSlack: 0);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    protected override async Task<long> JournalRowsAsync(string place) =>
        Convert.ToInt64(await SqliteFiles.ScalarAsync(place, "SELECT count(*) FROM journal"), CultureInfo.InvariantCulture);
}
