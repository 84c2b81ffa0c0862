using System.Data.Common;
using Platform.Silo.Storage;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// The contract's part that needs a store able to fail: a batch is all or none. The memory
/// provider applies a batch under a lock with nothing that can throw, so it has no failure to
/// force and is not tested here. Also the relational stores' journal table, whose rows are keyed
/// by a sequence and left dead by snapshots and deletions for later commits to delete.
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

    /// <summary>
    /// A snapshot's commit leaves the grain's old rows, which lie among other grains' rows, to the
    /// commits after it: deleted together, oldest first, they cost a few pages instead of one each.
    /// </summary>
    /// <summary>A journal row refused in the middle of a batch of many grains (inside a group of rows) undoes the whole batch.</summary>
    [Fact]
    public async Task A_batch_of_many_grains_that_the_store_rejects_midway_changes_nothing()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"k{i}").ToArray();
        await CommitAsync([.. keys.Select(key => Append(key, 1, 1))]);
        await using (await RejectJournalRowsAsync("k20"))
        {
            await Assert.ThrowsAnyAsync<DbException>(() => CommitAsync([.. keys.Select(key => Append(key, 2, 1))]));
        }

        foreach (var key in keys)
        {
            Assert.Equal([1L], StorageData.Versions(await ReadAsync(key)));
        }

        await CommitAsync([.. keys.Select(key => Append(key, 2, 1))]);
        foreach (var key in keys)
        {
            Assert.Equal([1L, 2L], StorageData.Versions(await ReadAsync(key)));
        }
    }

    [Fact]
    public async Task A_snapshot_leaves_its_old_rows_to_the_next_commit()
    {
        // A commit per grain: a row each, in either store (PostgreSQL puts a commit's runs in one row).
        for (var version = 1; version <= 3; version++)
        {
            await CommitAsync(Append("a", version, 1));
            await CommitAsync(Append("b", version, 1));
        }

        await CommitAsync(Snapshot("a", 3, "sa", -1));
        Assert.Equal(6L, await JournalRowsAsync());
        Assert.Empty((await ReadAsync("a"))!.Journal);

        await CommitAsync(Append("b", 4, 1));
        Assert.Equal(4L, await JournalRowsAsync());
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
        await CommitAsync(Append("a", 1, 2));
        await CommitAsync(Append("b", 1, 2));
        await CommitAsync(Snapshot("a", 2, "sa", -1), new DeleteGrain(Type, "b"));
        Assert.Equal(2L, await JournalRowsAsync());

        var reopened = await RestartAsync();
        var a = await reopened.ReadAsync(Type, "a", CancellationToken.None);
        Assert.Equal(StorageData.Bytes("sa"), a!.Snapshot);
        Assert.Empty(a.Journal);
        Assert.Null(await reopened.ReadAsync(Type, "b", CancellationToken.None));

        await reopened.CommitAsync([Append("b", 1, 1)], CancellationToken.None);
        Assert.Equal([1L], StorageData.Versions(await reopened.ReadAsync(Type, "b", CancellationToken.None)));
        Assert.Equal(1L, await JournalRowsAsync());
    }

    /// <summary>
    /// A key deleted and made again starts a new life: the rows of its earlier life, still in the
    /// table at a restart, are not taken for the new one's, though their versions are the same.
    /// </summary>
    [Fact]
    public async Task Rows_of_a_key_s_earlier_life_stay_dead_after_a_restart()
    {
        await CommitAsync(Append("k", 1, 2));
        await CommitAsync(Append("other", 1, 1));
        await CommitAsync(new DeleteGrain(Type, "k"), Append("k", 1, 1));
        Assert.Equal(3L, await JournalRowsAsync());

        var reopened = await RestartAsync();
        var k = await reopened.ReadAsync(Type, "k", CancellationToken.None);
        Assert.Null(k!.Snapshot);
        Assert.Equal([1L], StorageData.Versions(k));
        Assert.Equal([1L], StorageData.Versions(await reopened.ReadAsync(Type, "other", CancellationToken.None)));
    }

    /// <summary>Makes the store refuse any journal row of <paramref name="key"/> under this test's type, until disposed.</summary>
    protected abstract Task<IAsyncDisposable> RejectJournalRowsAsync(string key);

    /// <summary>How many rows of this test's grain type the journal table holds, dead ones included.</summary>
    protected abstract Task<long> JournalRowsAsync();

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
