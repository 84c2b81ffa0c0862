using System.Data.Common;
using System.Text;
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
    /// Dead pages go a few per commit: a wave of them (streams taking their snapshots together)
    /// is spread over the commits after it, not deleted by one.
    /// </summary>
    [Fact]
    public async Task Dead_pages_are_deleted_a_few_per_commit()
    {
        for (var version = 1; version <= 20; version++)
        {
            await CommitAsync(Append("a", version, 1));
        }

        await CommitAsync(Snapshot("a", 20, "sa", -1));
        Assert.Equal(20L, await JournalRowsAsync());

        await CommitAsync(Append("b", 1, 1));
        Assert.Equal(17L, await JournalRowsAsync());
        for (var version = 2; version <= 5; version++)
        {
            await CommitAsync(Append("b", version, 1));
        }

        Assert.Equal(5L, await JournalRowsAsync());
        Assert.Equal(StorageData.Range(1, 5), StorageData.Versions(await ReadAsync("b")));
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

    /// <summary>
    /// A restart finds each run's grain by the bytes of its key in the page: keys of any byte, and
    /// long ones, get their runs back; a deleted key's stay dead.
    /// </summary>
    [Fact]
    public async Task Runs_of_keys_of_any_byte_and_length_are_theirs_again_after_a_restart()
    {
        var everyByte = StorageData.Key([.. Enumerable.Range(0, 256).Select(b => (byte)b)]);
        string[] keys = [everyByte, new string('\u00e9', 10_000), "", "\u00ff\u00fe", "a\r\nb", "\0"];
        for (var version = 1; version <= 3; version++)
        {
            await CommitAsync([.. keys.Select(key => Append(key, version, 1))]);
        }

        await CommitAsync(new DeleteGrain(Type, "\0"));

        var reopened = await RestartAsync();
        foreach (var key in keys[..^1])
        {
            Assert.Equal([1L, 2L, 3L], StorageData.Versions(await reopened.ReadAsync(Type, key, CancellationToken.None)));
        }

        Assert.Null(await reopened.ReadAsync(Type, "\0", CancellationToken.None));
        Assert.Null(await reopened.ReadAsync(Type, everyByte[..255], CancellationToken.None));
    }

    /// <summary>A commit's appends, for however many grains, are one journal row (a page).</summary>
    [Fact]
    public async Task A_commit_s_appends_to_many_grains_are_one_journal_row()
    {
        var keys = Enumerable.Range(0, 50).Select(i => $"k{i}").ToArray();
        await CommitAsync([.. keys.Select(key => Append(key, 1, 2))]);
        await CommitAsync([.. keys.Select(key => Append(key, 3, 1))]);
        Assert.Equal(2L, await JournalRowsAsync());

        var reopened = await RestartAsync();
        foreach (var key in keys)
        {
            Assert.Equal([1L, 2L, 3L], StorageData.Versions(await reopened.ReadAsync(Type, key, CancellationToken.None)));
        }
    }

    /// <summary>
    /// Keys written once keep the pages they were written in alive, and with them every dead run
    /// there: those pages' live runs are copied into later pages, and the old ones go. Read back
    /// after a restart that finds each copied run twice (its old page is deleted by the commit
    /// after the copy), a run counts once.
    /// </summary>
    [Fact]
    public async Task Pages_kept_by_keys_written_once_are_compacted_and_their_runs_kept()
    {
        var place = await NewPlaceAsync();
        var store = await OpenCompactingAsync(place);
        try
        {
            for (var i = 1; i <= 40; i++)
            {
                await store.CommitAsync([Append($"cold{i}", 1, 1), Append("hot", (i * 100) - 99, 100)], CancellationToken.None);
                await store.CommitAsync([Snapshot("hot", i * 100, "hot", -1)], CancellationToken.None);
            }

            await store.CommitAsync([Append("cold41", 1, 1), Append("hot", 4001, 100)], CancellationToken.None);
            Assert.InRange(await JournalRowsAsync(place), 1, 4);

            await store.DisposeAsync();
            store = await OpenCompactingAsync(place);
            for (var i = 1; i <= 41; i++)
            {
                Assert.Equal([1L], StorageData.Versions(await store.ReadAsync(Type, $"cold{i}", CancellationToken.None)));
            }

            Assert.Equal(StorageData.Range(4001, 4100), StorageData.Versions(await store.ReadAsync(Type, "hot", CancellationToken.None)));
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>
    /// A grain read while commits copy its runs into new pages and delete the old ones (which it
    /// has no say in: they are other grains' commits) reads its runs wherever they have gone.
    /// </summary>
    [Fact]
    public async Task A_grain_read_while_commits_move_its_runs_reads_them_all()
    {
        var place = await NewPlaceAsync();
        await using var store = await OpenCompactingAsync(place);
        for (var i = 1; i <= 20; i++)
        {
            await store.CommitAsync([Append("read", i, 1), Append("hot", ((i - 1) * 500) + 1, 500)], CancellationToken.None);
            await store.CommitAsync([Snapshot("hot", i * 500, "hot", -1)], CancellationToken.None);
        }

        using var done = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                Assert.Equal(StorageData.Range(1, 20), StorageData.Versions(await store.ReadAsync(Type, "read", CancellationToken.None)));
                Interlocked.Increment(ref reads);
            }
        });

        // As many commits as it takes for some reads to meet them (SQLite's commits are quick).
        for (var i = 21; (i <= 400 || Volatile.Read(ref reads) < 50) && i <= 20_000 && !reader.IsCompleted; i++)
        {
            var hot = ((i - 1) * 500) + 1;
            await store.CommitAsync([Append("hot", hot, 500)], CancellationToken.None);
            await store.CommitAsync([Snapshot("hot", hot + 499, "hot", -1)], CancellationToken.None);
        }

        await done.CancelAsync();
        await reader;
        Assert.True(reads > 10, $"only {reads} reads");
    }

    /// <summary>
    /// Appends, snapshots and deletions of a few keys, at random, with runs copied out of old pages
    /// at every commit and the store reopened now and then: it holds what the memory store holds.
    /// </summary>
    [Fact]
    public async Task Under_compaction_at_every_commit_the_store_holds_what_the_memory_store_holds()
    {
        var place = await NewPlaceAsync();
        var random = new Random(20261123);
        string[] keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
        var next = keys.ToDictionary(key => key, _ => 1L);
        await using var model = new MemoryGrainStorage();
        var store = await OpenCompactingAsync(place);
        try
        {
            for (var round = 0; round < 120; round++)
            {
                var batch = new List<StorageOperation>();
                for (var n = random.Next(1, 6); n > 0; n--)
                {
                    var key = keys[random.Next(keys.Length)];
                    switch (random.Next(10))
                    {
                        case < 7:
                            var count = random.Next(1, 4);
                            batch.Add(Append(key, next[key], count));
                            next[key] += count;
                            break;
                        case < 9 when next[key] > 1:
                            batch.Add(Snapshot(key, next[key] - 1, $"s{round}", -1));
                            break;
                        case 9:
                            batch.Add(new DeleteGrain(Type, key));
                            next[key] = 1;
                            break;
                    }
                }

                await model.CommitAsync(batch, CancellationToken.None);
                await store.CommitAsync(batch, CancellationToken.None);
                if (round % 10 == 9)
                {
                    await store.DisposeAsync();
                    store = await OpenCompactingAsync(place);
                }

                Assert.Equal(await HeldAsync(model), await HeldAsync(store));
            }
        }
        finally
        {
            await store.DisposeAsync();
        }

        async Task<string> HeldAsync(IGrainStorage storage)
        {
            var held = new StringBuilder();
            foreach (var key in keys)
            {
                var grain = await storage.ReadAsync(Type, key, CancellationToken.None);
                held.Append(grain is null
                    ? $"{key}: absent\n"
                    : $"{key}: {(grain.Snapshot is null ? "-" : Encoding.Latin1.GetString(grain.Snapshot))}@{grain.SnapshotVersion} [{string.Join(',', StorageData.Versions(grain))}]\n");
            }

            return held.ToString();
        }
    }

    /// <summary>A place for a store of its own (a database, a directory), empty.</summary>
    protected abstract Task<string> NewPlaceAsync();

    /// <summary>Opens a store at <paramref name="place"/> that copies runs out of old pages as soon as any dead byte is in a live page.</summary>
    protected abstract Task<IGrainStorage> OpenCompactingAsync(string place);

    /// <summary>How many rows the journal table at <paramref name="place"/> holds, dead ones included.</summary>
    protected abstract Task<long> JournalRowsAsync(string place);

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
