using System.Data.Common;
using Platform.Silo.Storage;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// The contract's part that needs a store able to fail: a batch is all or none. The memory
/// provider applies a batch under a lock with nothing that can throw, so it has no failure to
/// force and is not tested here.
/// </summary>
public abstract class RelationalGrainStorageContract : GrainStorageContract
{
    private static readonly string[] Keys = ["a", "b", "c", "d", "e"];

    [Fact]
    public async Task A_batch_that_breaks_the_journal_key_midway_changes_nothing()
    {
        var before = await ArrangeAsync();

        // The second append of d at version 1 (not merged with the first: the expiry between them
        // closes the run) breaks the journal's primary key, after changes to four grains and before one more.
        var batch = Changes().Concat([new SetExpiry(Type, "d", 5), Append("d", 1, 1), Append("e", 1, 1)]).ToArray();
        await Assert.ThrowsAnyAsync<DbException>(() => CommitAsync(batch));
        Assert.Equal(before, await DumpAsync(Keys));

        await AssertStillCommitsAsync();
    }

    [Fact]
    public async Task A_batch_that_the_store_rejects_midway_changes_nothing()
    {
        var before = await ArrangeAsync();
        await using (await RejectJournalRowsAsync("e"))
        {
            var batch = Changes().Take(2).Concat([Append("e", 1, 1)]).Concat(Changes().Skip(2)).ToArray();
            await Assert.ThrowsAnyAsync<DbException>(() => CommitAsync(batch));
            Assert.Equal(before, await DumpAsync(Keys));
        }

        await AssertStillCommitsAsync();
    }

    /// <summary>Makes the store refuse any journal row of <paramref name="key"/> under this test's type, until disposed.</summary>
    protected abstract Task<IAsyncDisposable> RejectJournalRowsAsync(string key);

    // a: journal 1-2; b: snapshot at 4 and record 5, expiring; c: record 1, expiring.
    private async Task<string> ArrangeAsync()
    {
        await CommitAsync(Append("a", 1, 2));
        await CommitAsync(Snapshot("b", 4, "sb", 50), Append("b", 5, 1));
        await CommitAsync(Append("c", 1, 1), new SetExpiry(Type, "c", 60));
        var state = await DumpAsync(Keys);
        Assert.Contains("snapshot=7362@4", state, StringComparison.Ordinal);
        return state;
    }

    // One change of each kind, to four grains.
    private List<StorageOperation> Changes() =>
    [
        Append("a", 3, 1),
        Snapshot("a", 3, "sa", -1),
        new SetExpiry(Type, "c", 70),
        new DeleteGrain(Type, "b"),
        Append("d", 1, 2),
    ];

    // The store is usable after the failure: the same changes commit, all of them.
    private async Task AssertStillCommitsAsync()
    {
        await CommitAsync([.. Changes()]);
        var a = await ReadAsync("a");
        Assert.NotNull(a);
        Assert.Equal(StorageData.Bytes("sa"), a.Snapshot);
        Assert.Empty(a.Journal);
        Assert.Null(await ReadAsync("b"));
        Assert.Equal(70, (await ReadAsync("c"))!.ExpiresAtMs);
        Assert.Equal([1L, 2L], StorageData.Versions(await ReadAsync("d")));
        Assert.Null(await ReadAsync("e"));
    }

    /// <summary>Runs an undo step on dispose.</summary>
    protected sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}
