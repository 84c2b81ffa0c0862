using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Silo.Storage;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// The journal's writer on a store the test steers and a clock that moves only when told: group
/// commit, the three durability modes, a failing store, flushes and disposal.
/// </summary>
public sealed class GrainJournalTests : IAsyncLifetime
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    // How long a test waits for what must happen before it fails (never a measure of anything).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeGrainStorage _storage = new();
    private readonly ObservedTimeProvider _time = new();
    private GrainJournal? _journal;
    private int _nextOperation;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _storage.ReleaseAll();
        if (_journal is not null)
        {
            await _journal.DisposeAsync().AsTask().WaitAsync(Patience);
        }
    }

    [Fact]
    public async Task Start_opens_the_store_once()
    {
        var journal = New(Durability.Always);
        await Task.WhenAll(journal.StartAsync(CancellationToken.None), journal.StartAsync(CancellationToken.None));
        await journal.StartAsync(CancellationToken.None);

        Assert.Equal(1, _storage.Initializations);
    }

    [Fact]
    public async Task Appends_made_during_a_commit_go_in_the_next_one_in_order()
    {
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        var a = Operation();
        Assert.Equal(1, journal.Append(a));
        await _storage.Started.WaitForAsync(1);

        var later = Enumerable.Range(0, 4).Select(_ => Operation()).ToArray();
        Assert.Equal([2L, 3L, 4L, 5L], later.Select(journal.Append));
        Assert.Equal(5, journal.Appended);
        Assert.Equal(0, journal.Committed);

        _storage.Holding = false;
        _storage.ReleaseOne();
        await journal.FlushAsync().WaitAsync(Patience);

        Assert.Equal([[a], later], _storage.Commits);
        Assert.Equal(5, journal.Committed);
        Assert.Equal(2, journal.Commits);
    }

    [Fact]
    public async Task Appends_from_many_threads_are_committed_once_each_in_sequence_order()
    {
        var journal = await StartAsync(Durability.Always);
        var sequences = new ConcurrentDictionary<StorageOperation, long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 1; i <= 250; i++)
            {
                var operation = new AppendRecords("t", $"g{thread}", i, StorageData.Records(i, 1));
                sequences[operation] = journal.Append(operation);
            }
        })));
        await journal.FlushAsync().WaitAsync(Patience);

        Assert.Equal(StorageData.Range(1, 1000), sequences.Values.Order());
        Assert.Equal(sequences.OrderBy(s => s.Value).Select(s => s.Key), _storage.Committed);
        Assert.Equal(1000, journal.Committed);
    }

    [Fact]
    public async Task Under_always_a_barrier_completes_after_the_commit_of_everything_appended_before_it()
    {
        var journal = await StartAsync(Durability.Always);
        Assert.True(journal.BarrierAsync().IsCompleted, "nothing is pending");

        _storage.Holding = true;
        var a = Operation();
        journal.Append(a);
        await _storage.Started.WaitForAsync(1);
        var first = journal.BarrierAsync().AsTask();
        var b = Operation();
        journal.Append(b);
        var second = journal.BarrierAsync().AsTask();
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        _storage.ReleaseOne();
        await first.WaitAsync(Patience);
        Assert.Equal([a], _storage.Committed);
        await _storage.Started.WaitForAsync(2);
        Assert.False(second.IsCompleted, "b's commit is held");

        _storage.ReleaseOne();
        await second.WaitAsync(Patience);
        Assert.Equal([[a], [b]], _storage.Commits);
    }

    [Fact]
    public async Task Changes_made_under_a_hold_are_committed_together()
    {
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        var before = Operation();
        journal.Append(before);
        await _storage.Started.WaitForAsync(1);

        // RENAME's shape: one grain's change, then (after the writer has had every chance to take it) another's.
        var hold = journal.Hold();
        var first = Operation();
        journal.Append(first);
        var timers = _time.TimersCreated.Count;
        _storage.ReleaseOne();
        await _storage.Ended.WaitForAsync(1);
        await _time.TimersCreated.WaitForAsync(timers + 1); // the writer waits for the hold, with its limit
        Assert.Equal(1, _storage.Started.Count);

        var second = Operation();
        journal.Append(second);
        hold.Dispose();
        _storage.Holding = false;
        await journal.FlushAsync().WaitAsync(Patience);

        Assert.Equal([[before], [first, second]], _storage.Commits);
    }

    [Fact]
    public async Task A_hold_keeps_the_writer_waiting_a_second_at_most()
    {
        var journal = await StartAsync(Durability.Always);
        using var hold = journal.Hold();
        var timers = _time.TimersCreated.Count;
        var a = Operation();
        journal.Append(a);
        var barrier = journal.BarrierAsync().AsTask();
        await _time.TimersCreated.WaitForAsync(timers + 1);
        Assert.False(barrier.IsCompleted);

        _time.Advance(Second);
        await barrier.WaitAsync(Patience);
        Assert.Equal([[a]], _storage.Commits);
    }

    [Fact]
    public async Task Under_everysec_changes_gather_for_a_second()
    {
        var journal = await StartAsync(Durability.EverySecond);
        Assert.True(journal.IsEnabled);
        var a = Operation();
        var b = Operation();
        journal.Append(a);
        journal.Append(b);
        Assert.True(journal.BarrierAsync().IsCompleted, "everysec replies without waiting");

        await _time.TimersCreated.WaitForAsync(1);
        _time.Advance(Second - Tick);
        Assert.Empty(_storage.Attempts);
        _time.Advance(Tick);
        await _storage.Ended.WaitForAsync(1);
        Assert.Equal([[a, b]], _storage.Commits);

        // The next second counts from that commit.
        var c = Operation();
        journal.Append(c);
        await _time.TimersCreated.WaitForAsync(2);
        _time.Advance(Second / 2);
        Assert.Single(_storage.Attempts);
        _time.Advance(Second / 2);
        await _storage.Ended.WaitForAsync(2);
        Assert.Equal([[a, b], [c]], _storage.Commits);
    }

    /// <summary>A full batch goes without waiting for the second: a second of a loaded server's changes held in memory cost more in collections than the commits.</summary>
    [Fact]
    public async Task Under_everysec_a_full_batch_is_committed_without_waiting_for_the_second()
    {
        var journal = await StartAsync(Durability.EverySecond);
        var changes = Enumerable.Range(0, GrainJournal.EverySecondBatchLimit - 1).Select(_ => Operation()).ToList();
        changes.ForEach(change => journal.Append(change));
        await _time.TimersCreated.WaitForAsync(1);
        Assert.Empty(_storage.Attempts);

        // The clock stands still: only the full batch can have the writer commit.
        changes.Add(Operation());
        journal.Append(changes[^1]);
        await _storage.Ended.WaitForAsync(1);
        Assert.Equal([[.. changes]], _storage.Commits);
    }

    [Fact]
    public async Task Under_everysec_a_flush_during_a_commit_has_the_next_commit_made_at_once()
    {
        var journal = await StartAsync(Durability.EverySecond);
        _storage.Holding = true;
        var a = Operation();
        journal.Append(a);
        await _time.TimersCreated.WaitForAsync(1);
        _time.Advance(Second);
        await _storage.Started.WaitForAsync(1);

        var b = Operation();
        journal.Append(b);
        var flush = journal.FlushAsync();
        Assert.False(flush.IsCompleted);
        _storage.Holding = false;
        _storage.ReleaseOne();

        // Within the same instant: the clock does not move.
        await flush.WaitAsync(Patience);
        Assert.Equal([[a], [b]], _storage.Commits);
        Assert.Equal(1, _time.TimersCreated.Count);
    }

    [Fact]
    public async Task Under_everysec_a_flush_or_read_while_changes_gather_commits_at_once()
    {
        var journal = await StartAsync(Durability.EverySecond);
        var a = Operation();
        journal.Append(a);
        await _time.TimersCreated.WaitForAsync(1);

        // The clock stands still: only the flush can have the writer commit.
        await journal.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([[a]], _storage.Commits);

        journal.Append(Operation());
        await _time.TimersCreated.WaitForAsync(2);
        await journal.ReadAsync("t", "k", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([2], _storage.CommittedAtReads);
    }

    [Fact]
    public async Task Under_no_grains_do_not_journal_and_snapshots_still_reach_the_store()
    {
        var journal = await StartAsync(Durability.No);
        Assert.False(journal.IsEnabled);
        var snapshot = new WriteSnapshot("t", "k", 3, [1, 2, 3], -1);
        var delete = new DeleteGrain("t", "j");
        journal.Append(snapshot);
        journal.Append(delete);
        Assert.True(journal.BarrierAsync().IsCompleted);

        await _time.TimersCreated.WaitForAsync(1);
        _time.Advance(Second - Tick);
        Assert.Empty(_storage.Attempts);
        _time.Advance(Tick);
        await _storage.Ended.WaitForAsync(1);
        Assert.Equal([[snapshot, delete]], _storage.Commits);

        journal.Durability = Durability.Always;
        Assert.True(journal.IsEnabled);
    }

    [Fact]
    public async Task Reads_and_lists_wait_for_what_was_appended_before_them()
    {
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        journal.Append(Operation());
        await _storage.Started.WaitForAsync(1);
        journal.Append(Operation());

        var read = journal.ReadAsync("t", "k", CancellationToken.None);
        var list = journal.ListAsync("t", "", CancellationToken.None);
        Assert.False(read.IsCompleted);
        Assert.False(list.IsCompleted);
        Assert.Empty(_storage.CommittedAtReads);

        _storage.Holding = false;
        _storage.ReleaseOne();
        await read.WaitAsync(Patience);
        await list.WaitAsync(Patience);
        Assert.Equal([2, 2], _storage.CommittedAtReads);
    }

    [Fact]
    public async Task A_read_of_a_stored_grain_with_nothing_pending_does_not_wait_for_other_grains()
    {
        _storage.Stored.Add(("t", "other"));
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        journal.Append(Operation());
        await _storage.Started.WaitForAsync(1);

        await journal.ReadAsync("t", "other", CancellationToken.None).WaitAsync(Patience);
        Assert.Equal([0], _storage.CommittedAtReads);
    }

    [Fact]
    public async Task A_read_of_a_grain_the_store_does_not_hold_answers_nothing_without_asking_it()
    {
        _storage.Stored.Add(("t", "old"));
        var journal = await StartAsync(Durability.Always);

        Assert.Null(await journal.ReadAsync("t", "new", CancellationToken.None));
        Assert.Null(await journal.ReadAsync("u", "old", CancellationToken.None));
        Assert.Empty(_storage.CommittedAtReads);
        await journal.ReadAsync("t", "old", CancellationToken.None);
        Assert.Equal([0], _storage.CommittedAtReads);

        // Once committed, an append or a snapshot makes a grain stored, and a delete makes it not.
        journal.Append(new AppendRecords("t", "new", 1, StorageData.Records(1, 1)));
        journal.Append(new WriteSnapshot("t", "snapshotted", 0, [], -1));
        journal.Append(new DeleteGrain("t", "old"));
        await journal.FlushAsync().WaitAsync(Patience);
        await journal.ReadAsync("t", "new", CancellationToken.None);
        await journal.ReadAsync("t", "snapshotted", CancellationToken.None);
        Assert.Equal([0, 3, 3], _storage.CommittedAtReads);
        Assert.Null(await journal.ReadAsync("t", "old", CancellationToken.None));
        Assert.Equal(3, _storage.CommittedAtReads.Count);
    }

    [Fact]
    public async Task A_failing_store_keeps_the_changes_in_order_and_retries_each_second_until_it_recovers()
    {
        var journal = await StartAsync(Durability.Always);
        _storage.FailNext(2);
        var a = Operation();
        journal.Append(a);

        // The writer failed and waits to retry.
        await _time.TimersCreated.WaitForAsync(1);
        Assert.Equal("disk full", journal.Error);
        Assert.Equal(1, journal.Failures);
        Assert.Equal(0, journal.Committed);

        var b = Operation();
        var c = Operation();
        journal.Append(b);
        journal.Append(c);
        var barrier = journal.BarrierAsync().AsTask();
        _time.Advance(Second - Tick);
        Assert.Single(_storage.Attempts);
        Assert.False(barrier.IsCompleted);

        // The retry: the failed batch first, then what came since; it fails again.
        _time.Advance(Tick);
        await _time.TimersCreated.WaitForAsync(2);
        Assert.Equal(2, journal.Failures);
        Assert.Equal("disk full", journal.Error);
        Assert.False(barrier.IsCompleted);

        var d = Operation();
        journal.Append(d);
        _time.Advance(Second);
        await barrier.WaitAsync(Patience);
        await journal.FlushAsync().WaitAsync(Patience);

        Assert.Null(journal.Error);
        Assert.Equal(2, journal.Failures);
        Assert.Equal(1, journal.Commits);
        Assert.Equal(4, journal.Committed);
        Assert.Equal([[a], [a, b, c], [a, b, c, d]], _storage.Attempts);
        Assert.Equal([[a, b, c, d]], _storage.Commits);
    }

    [Fact]
    public async Task With_a_store_that_syncs_separately_changes_count_as_committed_once_synced_and_the_next_batch_is_written_after_the_sync()
    {
        _storage.SeparateSyncs = true;
        _storage.HoldingSyncs = true;
        var journal = await StartAsync(Durability.Always);
        var a = Operation();
        journal.Append(a);
        var first = journal.BarrierAsync().AsTask();
        await _storage.SyncsStarted.WaitForAsync(1);
        Assert.Equal([[a]], _storage.Commits);
        Assert.Equal(0, journal.Committed);
        Assert.False(first.IsCompleted, "written, not yet synced");

        // What arrives while a syncs waits for that sync, then goes in one batch.
        var b = Operation();
        var c = Operation();
        journal.Append(b);
        journal.Append(c);
        var second = journal.BarrierAsync().AsTask();
        await Task.Delay(100);
        Assert.Equal([[a]], _storage.Commits);

        _storage.HoldingSyncs = false;
        _storage.ReleaseSync();
        await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Equal([[a], [b, c]], _storage.Commits);
        Assert.Equal([1, 2], _storage.CommitsAtSyncs);
        Assert.Equal(3, journal.Committed);
    }

    [Fact]
    public async Task A_failed_sync_is_retried_each_second_without_committing_its_batch_again_or_anything_more_and_the_error_stands_until_one_succeeds()
    {
        _storage.SeparateSyncs = true;
        _storage.FailNextSyncs(2);
        var journal = await StartAsync(Durability.Always);
        var a = Operation();
        journal.Append(a);
        var barrier = journal.BarrierAsync().AsTask();
        await _time.TimersCreated.WaitForAsync(1);
        Assert.Equal("sync failed", journal.Error);

        var b = Operation();
        journal.Append(b);
        var watching = Stopwatch.StartNew();
        while (watching.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            Assert.Equal("sync failed", journal.Error);
            await Task.Delay(10);
        }

        Assert.Equal([[a]], _storage.Commits);
        _time.Advance(Second);
        await _time.TimersCreated.WaitForAsync(2);
        Assert.Equal(2, journal.Failures);
        Assert.Equal("sync failed", journal.Error);
        Assert.False(barrier.IsCompleted);

        _time.Advance(Second);
        await barrier.WaitAsync(Patience);
        await journal.FlushAsync().WaitAsync(Patience);
        Assert.Null(journal.Error);
        Assert.Equal([[a], [b]], _storage.Attempts);
        Assert.Equal([[a], [b]], _storage.Commits);
        Assert.Equal([1, 2], _storage.CommitsAtSyncs);
    }

    [Fact]
    public async Task A_big_batch_releases_its_waiters_off_the_writer_and_later_batches_after_it()
    {
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        journal.Append(Operation());
        await _storage.Started.WaitForAsync(1);

        // While the first commit is held, a batch of a hundred gathers, and behind it one of one.
        var order = new ConcurrentQueue<string>();
        foreach (var _ in Enumerable.Range(0, 100))
        {
            journal.Append(Operation());
        }

        var big = journal.BarrierAsync().AsTask().ContinueWith(
            _ => order.Enqueue($"big on {Thread.CurrentThread.Name}"), TaskContinuationOptions.ExecuteSynchronously);
        _storage.ReleaseOne();
        await _storage.Started.WaitForAsync(2);
        journal.Append(Operation());
        var small = journal.BarrierAsync().AsTask().ContinueWith(
            _ => order.Enqueue("small"), TaskContinuationOptions.ExecuteSynchronously);
        _storage.Holding = false;
        _storage.ReleaseAll();
        await Task.WhenAll(big, small).WaitAsync(Patience);

        Assert.Equal(["big on journal releaser", "small"], order);
    }

    [Fact]
    public async Task Under_always_an_event_loop_commits_its_own_changes_on_its_thread_in_one_batch_before_it_waits()
    {
        _storage.Embedded = true;
        var journal = await StartAsync(Durability.Always);
        var operations = new[] { Operation(), Operation(), Operation() };

        var (loop, (attemptsBefore, moreDeferred)) = await OnLoopAsync(() =>
        {
            foreach (var operation in operations)
            {
                journal.Append(operation);
            }

            // Nothing woke the writer: the loop commits them itself.
            var attempts = _storage.Attempts.Count;
            return (attempts, LoopCommits.CommitDeferred());
        });

        Assert.Equal(0, attemptsBefore);
        Assert.False(moreDeferred);
        Assert.Equal([operations], _storage.Commits);
        Assert.Equal([loop], _storage.AttemptThreads);
        Assert.Equal(3, journal.Committed);
    }

    /// <summary>
    /// A start completes once the writer waits for work: what an event loop hands over right after
    /// is the loop's to commit, never taken by a writer still starting (which made the loop tests
    /// above fail now and then).
    /// </summary>
    [Fact]
    public async Task Right_after_the_start_a_loop_s_changes_are_the_loop_s_to_commit()
    {
        _storage.Embedded = true;
        for (var start = 0; start < 200; start++)
        {
            await using var journal = new GrainJournal(_storage, Durability.Always, _time, NullLogger<GrainJournal>.Instance);
            var startTask = journal.StartAsync(CancellationToken.None);
            var operation = Operation();
            var attempts = _storage.AttemptThreads.Count;
            await startTask;
            var (loop, _) = await OnLoopAsync(() =>
            {
                journal.Append(operation);
                return LoopCommits.CommitDeferred();
            });

            Assert.Equal([loop], _storage.AttemptThreads.Skip(attempts));
        }
    }

    /// <summary>
    /// A loop's changes may wait while it serves the sockets that are ready (LoopCommits.MayGather)
    /// for the gather limit at most, counted from the first of them, and the count starts again
    /// after each commit.
    /// </summary>
    [Fact]
    public async Task A_loop_s_changes_may_gather_for_the_limit_from_the_first_of_them()
    {
        _storage.Embedded = true;
        var journal = await StartAsync(Durability.Always);
        var half = LoopCommits.GatherLimit / 2;

        var (_, mayGather) = await OnLoopAsync(() =>
        {
            LoopCommits.Join(_time);
            var seen = new List<bool> { LoopCommits.MayGather };
            journal.Append(Operation());
            seen.Add(LoopCommits.MayGather);
            _time.Advance(half);
            journal.Append(Operation());
            seen.Add(LoopCommits.MayGather);
            _time.Advance(half);
            seen.Add(LoopCommits.MayGather);
            LoopCommits.CommitDeferred();
            seen.Add(LoopCommits.MayGather);
            journal.Append(Operation());
            seen.Add(LoopCommits.MayGather);
            return seen;
        });

        // Nothing deferred; the first change; half the limit later; the limit after the first; committed; a new change.
        Assert.Equal([false, true, true, false, false, true], mayGather);
        Assert.Single(_storage.Commits);
    }

    [Fact]
    public async Task What_a_loop_commit_s_waiters_hand_over_is_committed_by_the_loop_s_next_call()
    {
        _storage.Embedded = true;
        var journal = await StartAsync(Durability.Always);
        var (a, b) = (Operation(), Operation());

        var (loop, (first, second)) = await OnLoopAsync(() =>
        {
            journal.Append(a);

            // A reply released by the commit runs the connection's next command, inline.
            _ = journal.BarrierAsync().AsTask().ContinueWith(_ => journal.Append(b), TaskContinuationOptions.ExecuteSynchronously);
            return (LoopCommits.CommitDeferred(), LoopCommits.CommitDeferred());
        });

        Assert.True(first, "the first call leaves b for the next");
        Assert.False(second);
        Assert.Equal([[a], [b]], _storage.Commits);
        Assert.Equal([loop, loop], _storage.AttemptThreads);
    }

    [Fact]
    public async Task While_the_writer_commits_a_loop_hands_its_changes_over_instead_of_waiting()
    {
        _storage.Embedded = true;
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        var (a, b) = (Operation(), Operation());
        journal.Append(a);
        await _storage.Started.WaitForAsync(1);

        var (loop, _) = await OnLoopAsync(() =>
        {
            journal.Append(b);
            return LoopCommits.CommitDeferred();
        });

        _storage.ReleaseAll();
        await journal.FlushAsync().WaitAsync(Patience);
        Assert.Equal([[a], [b]], _storage.Commits);
        Assert.DoesNotContain(loop, _storage.AttemptThreads);
    }

    [Fact]
    public async Task After_a_loop_commits_changes_from_other_threads_still_wake_the_writer()
    {
        _storage.Embedded = true;
        var journal = await StartAsync(Durability.Always);
        var (a, b) = (Operation(), Operation());
        await OnLoopAsync(() =>
        {
            journal.Append(a);
            return LoopCommits.CommitDeferred();
        });

        journal.Append(b);
        await journal.BarrierAsync().AsTask().WaitAsync(Patience);
        Assert.Equal([[a], [b]], _storage.Commits);
    }

    [Theory]
    [InlineData(true, Durability.EverySecond)]
    [InlineData(false, Durability.Always)]
    public async Task A_loop_leaves_commits_to_the_writer_under_everysec_and_for_a_store_behind_a_network(bool embedded, Durability durability)
    {
        _storage.Embedded = embedded;
        var journal = await StartAsync(durability);
        var a = Operation();

        var (loop, deferred) = await OnLoopAsync(() =>
        {
            journal.Append(a);
            return LoopCommits.CommitDeferred();
        });

        Assert.False(deferred);
        await journal.FlushAsync().WaitAsync(Patience);
        Assert.Equal([[a]], _storage.Commits);
        Assert.DoesNotContain(loop, _storage.AttemptThreads);
    }

    [Fact]
    public async Task When_a_loop_s_commit_fails_the_writer_retries_it_and_takes_the_loop_s_changes_until_the_store_recovers()
    {
        _storage.Embedded = true;
        _storage.FailNext(2);
        var journal = await StartAsync(Durability.Always);
        var (a, b) = (Operation(), Operation());

        var (loop, _) = await OnLoopAsync(() =>
        {
            journal.Append(a);
            return LoopCommits.CommitDeferred();
        });

        // The writer tried at once, failed too, and waits a second.
        await _time.TimersCreated.WaitForAsync(1);
        Assert.Equal("disk full", journal.Error);
        var (_, deferred) = await OnLoopAsync(() =>
        {
            journal.Append(b);
            return LoopCommits.CommitDeferred();
        });

        Assert.False(deferred, "a failing store is the writer's to retry");
        _time.Advance(Second);
        await journal.FlushAsync().WaitAsync(Patience);
        Assert.Null(journal.Error);
        Assert.Equal([[a], [a], [a, b]], _storage.Attempts);
        Assert.Equal([[a, b]], _storage.Commits);
        Assert.Equal(loop, _storage.AttemptThreads[0]);
        Assert.DoesNotContain(loop, _storage.AttemptThreads.Skip(1));
    }

    [Fact]
    public async Task Dispose_commits_what_is_pending()
    {
        var journal = await StartAsync(Durability.Always);
        _storage.Holding = true;
        var a = Operation();
        journal.Append(a);
        await _storage.Started.WaitForAsync(1);
        var b = Operation();
        journal.Append(b);

        var dispose = journal.DisposeAsync().AsTask();
        Assert.False(dispose.IsCompleted);
        _storage.Holding = false;
        _storage.ReleaseOne();
        await dispose.WaitAsync(Patience);
        _journal = null;

        Assert.Equal([[a], [b]], _storage.Commits);
    }

    [Fact]
    public async Task Under_everysec_dispose_commits_what_is_pending_at_once()
    {
        var journal = await StartAsync(Durability.EverySecond);
        var a = Operation();
        journal.Append(a);
        await _time.TimersCreated.WaitForAsync(1);

        // The clock stands still: disposal must not wait for it (it gives up on the flush after 10 s).
        await journal.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        _journal = null;
        Assert.Equal([[a]], _storage.Commits);
    }

    [Fact]
    public async Task Dispose_twice_is_harmless()
    {
        var journal = await StartAsync(Durability.Always);
        journal.Append(Operation());
        await journal.DisposeAsync();
        _journal = null;

        await journal.DisposeAsync();
        Assert.Single(_storage.Commits);
    }

    private GrainJournal New(Durability durability) =>
        _journal = new GrainJournal(_storage, durability, _time, NullLogger<GrainJournal>.Instance);

    private async Task<GrainJournal> StartAsync(Durability durability)
    {
        var journal = New(durability);
        await journal.StartAsync(CancellationToken.None);
        return journal;
    }

    // Runs the action on a new thread made an event loop (as the RESP port's readiness loop is);
    // returns that thread's id and what the action returned.
    private static Task<(int Thread, T Result)> OnLoopAsync<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<(int, T)>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                LoopCommits.Join();
                done.SetResult((Environment.CurrentManagedThreadId, action()));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true }.Start();
        return done.Task.WaitAsync(Patience);
    }

    private AppendRecords Operation()
    {
        var version = ++_nextOperation;
        return new AppendRecords("t", "k", version, StorageData.Records(version, 1));
    }
}
