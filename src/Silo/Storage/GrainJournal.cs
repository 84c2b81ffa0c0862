using Microsoft.Extensions.Logging;

namespace Platform.Silo.Storage;

/// <summary>When changes reach the disk, named after Redis's appendfsync.</summary>
public enum Durability
{
    /// <summary>always: no client learns of a change before it is committed.</summary>
    Always,

    /// <summary>everysec: committed within about a second.</summary>
    EverySecond,

    /// <summary>no: memory only; only SAVE's snapshots and deletions reach the store.</summary>
    No,
}

/// <summary>
/// The one writer of a storage provider: grains hand it their changes without waiting, and it
/// commits everything handed to it since its last commit in one transaction (group commit), at
/// once under <see cref="Durability.Always"/>, once a second (or every <see cref="EverySecondBatchLimit"/>
/// changes) under <see cref="Durability.EverySecond"/>, where clients do not wait for it.
/// Every change gets a global sequence number; <see cref="Committed"/> is the highest one
/// committed, so "has everything I saw been committed?" is one comparison. A failing store keeps
/// the changes, in order, and retries until it comes back. Where the store syncs separately
/// (<see cref="IGrainStorage.SyncsSeparately"/>), the writer syncs each batch after writing it; a
/// change counts as committed only once synced.
/// </summary>
/// <remarks>
/// Write, sync and publish follow one another, as Redis's event loop writes, fsyncs and answers:
/// what arrives meanwhile goes into the next batch. Writing the next batch while the last one
/// synced cost more than it saved: a change then waited for a write, a sync and the sync before
/// it, and a load of one command per connection went 20% slower.
/// </remarks>
public sealed partial class GrainJournal : IGrainJournal, IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EverySecondPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Under everysec, the writer commits a batch once it holds this many changes, without waiting
    /// for the second. A loaded server's second of changes (hundreds of thousands) outlived
    /// several collections, which copied them from generation to generation: XADD -P 16 from 50
    /// connections used 3.5–3.9 µs of CPU per request that way, 3.1 µs with this limit. A count
    /// rather than a shorter period keeps a light load's commits few (each costs CPU per row, on
    /// PostgreSQL most): with a limit of 4,096, XADD -P 1 paid about 3% more CPU per request.
    /// </summary>
    internal const int EverySecondBatchLimit = 16384;

    // How long a hold may keep the writer waiting: past it the writer goes on regardless (a holder
    // waiting on the store itself, such as an activation reading its grain, must not wait forever).
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(1);

    private readonly IGrainStorage _storage;

    // Whether an event loop may commit this store's changes itself (IGrainStorage.IsEmbedded),
    // asked once: every Append needs it.
    private readonly bool _commitsOnLoop;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private List<StorageOperation> _pending = [];
    private List<StorageOperation> _spare = [];

    // The writer's loop resumes on its own thread (DedicatedThread).
    private const ConfigureAwaitOptions ResumeHere = ConfigureAwaitOptions.ContinueOnCapturedContext;

    // Past this many changes in a batch, its waiters are released on a thread of their own: the
    // replies, and the commands pipelined behind them that their connections then run, would hold
    // the next commit up longer than the hand-over costs (50 connections pipelining 16 XADDs got
    // about 5% fewer through when released inline; with one XADD each, handing over cost about 7%).
    private const int InlineReleaseLimit = 64;

    private static readonly Task<StoredGrain?> NothingStored = Task.FromResult<StoredGrain?>(null);

    // The last sequence number handed over per grain and not yet committed: an activation reads its
    // grain at once unless a change of that grain is still on its way to the store.
    private readonly Dictionary<GrainName, long> _uncommitted = [];

    // Every grain the store holds (committed): a new grain's activation needs no query to learn that
    // nothing is stored, which makes creating keys as cheap as without storage.
    private readonly HashSet<GrainName> _stored = [];
    private TaskCompletionSource _work = NewSignal();
    // Who waits for which sequence number to be committed. One task each, rather than one for all:
    // of many awaits on one task only the first runs inline, the rest go to the thread pool.
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();

    // Completed when someone needs what is pending now (a flush, a read, a mode change), or when
    // it is a full batch: it cuts short the second everysec lets changes gather.
    private TaskCompletionSource _forced = NewSignal();

    // Open holds (see Hold): while any is open the writer takes no batch; completed on the last release.
    private int _holds;
    private TaskCompletionSource _released = NewSignal();
    private long _appended;
    private long _committed;
    private long _commits;
    private long _failures;

    // Why the store is failing: the last commit's or sync's error, until one succeeds. Nothing is
    // committed while a sync fails, so a success means the store works again.
    private volatile string? _error;
    private volatile int _durability;
    private Task? _started;

    // Who commits: the writer or an event loop (CommitOnLoop), one at a time.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // A batch written but not yet synced (the sync failed): synced, then published, before anything more is written.
    private Unsynced? _unsynced;
    private int _disposed;
    private Task? _writer;

    // Completed once the writer has looked for work the first time: a start completes only then, so
    // that what an event loop hands over after it is never taken by a writer still starting.
    private readonly TaskCompletionSource _writerStarted = NewSignal();

    // Where big batches' waiters are released; and how many such releases are yet to run (while
    // any is, later ones queue behind it, so that waiters are released in commit order).
    private DedicatedThread? _releaser;
    private int _releasesQueued;

    /// <summary>Creates the writer of <paramref name="storage"/>.</summary>
    public GrainJournal(IGrainStorage storage, Durability durability, TimeProvider time, ILogger<GrainJournal> logger)
    {
        _storage = storage;
        _commitsOnLoop = storage.IsEmbedded;
        _time = time;
        _logger = logger;
        _durability = (int)durability;
    }

    /// <summary>The store written to.</summary>
    public IGrainStorage Storage => _storage;

    /// <summary>The durability mode (CONFIG SET appendfsync changes it).</summary>
    public Durability Durability
    {
        get => (Durability)_durability;
        set
        {
            _durability = (int)value;

            // What gathered under the old mode is committed at once (say, on the way to always).
            Wake(force: true);
        }
    }

    /// <summary>Whether grains journal their changes (not under <see cref="Durability.No"/>).</summary>
    public bool IsEnabled => Durability != Durability.No;

    /// <summary>The sequence number of the last change handed over.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>The sequence number of the last change committed.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Transactions committed.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Commits that failed (each retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Why the store is failing; null while it works.</summary>
    public string? Error => _error;

    /// <summary>When the last commit succeeded.</summary>
    public DateTimeOffset LastCommitTime { get; private set; }

    /// <summary>Opens the store (creating or migrating its schema) and starts the writer.</summary>
    /// <exception cref="InvalidOperationException">The store cannot be used; the message says why.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _started ??= StartOnceAsync(cancellationToken);
        }
    }

    /// <summary>Hands over a change, whatever the mode; returns its sequence number.</summary>
    public long Append(StorageOperation operation)
    {
        long sequence;
        bool full;
        lock (_lock)
        {
            _pending.Add(operation);
            full = _pending.Count == EverySecondBatchLimit;
            sequence = Interlocked.Increment(ref _appended);
            _uncommitted[operation.Grain] = sequence;
        }

        if (Durability != Durability.Always || _error is not null || !_commitsOnLoop || !LoopCommits.Defer(this))
        {
            Wake(force: full);
        }

        return sequence;
    }

    /// <summary>
    /// Keeps the writer from taking a batch until disposed, so that the changes handed over
    /// meanwhile (by several grains: RENAME's source and destination) are committed together or
    /// not at all. Keep it short: commits wait for it.
    /// </summary>
    public IDisposable Hold()
    {
        lock (_lock)
        {
            _holds++;
        }

        return new JournalHold(this);
    }

    /// <summary>
    /// Completes once everything handed over so far is committed, at once under everysec and no
    /// (Redis's appendfsync always replies only after the fsync; the others do not wait).
    /// </summary>
    public ValueTask BarrierAsync()
    {
        if (Durability != Durability.Always)
        {
            return ValueTask.CompletedTask;
        }

        var target = Appended;
        return Committed >= target ? ValueTask.CompletedTask : new ValueTask(WaitForAsync(target));
    }

    /// <inheritdoc/>
    public Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        // What the grain handed over before (say, before a deactivation) must be in what it reads.
        long target;
        var grain = new GrainName(grainType, grainKey);
        lock (_lock)
        {
            target = _uncommitted.GetValueOrDefault(grain);
            if (target == 0 && !_stored.Contains(grain))
            {
                return NothingStored;
            }
        }

        return ReadCommittedAsync(grainType, grainKey, target, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken)
    {
        await FlushAsync().ConfigureAwait(false);
        return await _storage.ListAsync(grainType, keyPrefix, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes once everything handed over so far is committed, whatever the mode (SAVE, activation).</summary>
    public Task FlushAsync()
    {
        var target = Appended;
        if (Committed >= target)
        {
            return Task.CompletedTask;
        }

        Wake(force: true);
        return WaitForAsync(target);
    }

    /// <summary>Commits what is pending and stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_writer is not null && _error is null)
        {
            await FlushAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Wake();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _releaser?.Stop();
        _stopping.Dispose();
    }

    private async Task<StoredGrain?> ReadCommittedAsync(string grainType, string grainKey, long target, CancellationToken cancellationToken)
    {
        if (target > Committed)
        {
            Wake(force: true);
            await WaitForAsync(target).ConfigureAwait(false);
        }

        return await _storage.ReadAsync(grainType, grainKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task StartOnceAsync(CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (type, key) in await _storage.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            _stored.Add(new GrainName(type, key));
        }

        LastCommitTime = _time.GetUtcNow();
        _releaser = DedicatedThread.Start("journal releaser");
        _writer = DedicatedThread.Run("journal writer", () => WriteLoopAsync(_stopping.Token));
        await Task.WhenAny(_writerStarted.Task, _writer).ConfigureAwait(false);
    }

    private Task WaitForAsync(long target)
    {
        lock (_lock)
        {
            if (Committed >= target)
            {
                return Task.CompletedTask;
            }

            // Completed by Publish (ReleaseWaiters), which runs what awaits it inline.
            var waiter = new TaskCompletionSource();
            _waiters.Enqueue(waiter, target);
            return waiter.Task;
        }
    }

    private void Wake(bool force = false)
    {
        TaskCompletionSource work;
        TaskCompletionSource? forced = null;
        lock (_lock)
        {
            work = _work;
            if (force)
            {
                forced = _forced;
            }
        }

        work.TrySetResult();
        forced?.TrySetResult();
    }

    // What is pending, and the sequence number of its last change, once no hold is open.
    private async Task<(List<StorageOperation> Batch, long Last)> TakeBatchAsync()
    {
        var waitedFrom = _time.GetTimestamp();
        while (true)
        {
            Task released;
            lock (_lock)
            {
                if (_holds == 0 || _time.GetElapsedTime(waitedFrom) >= HoldLimit)
                {
                    return TakeBatch();
                }

                if (_released.Task.IsCompleted)
                {
                    _released = NewSignal();
                }

                released = _released.Task;
            }

            await released.WaitAsync(HoldLimit, _time).ConfigureAwait(ResumeHere | ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Under the same lock as the check for holds, so a hold's changes are never split between
    // batches. A signal is renewed only once completed: the writer may be waiting on it while an
    // event loop takes the batch.
    private (List<StorageOperation> Batch, long Last) TakeBatch()
    {
        var batch = _pending;
        _pending = _spare;
        _spare = [];
        if (_work.Task.IsCompleted)
        {
            _work = NewSignal();
        }

        if (_forced.Task.IsCompleted)
        {
            _forced = NewSignal();
        }

        return (batch, _appended);
    }

    private void EndHold()
    {
        lock (_lock)
        {
            if (--_holds == 0)
            {
                _released.TrySetResult();
            }
        }
    }

    private sealed class JournalHold(GrainJournal journal) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                journal.EndHold();
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken stopping)
    {
        var lastCommit = _time.GetTimestamp();
        while (!stopping.IsCancellationRequested)
        {
            Task work;
            lock (_lock)
            {
                work = _pending.Count == 0 && _unsynced is null ? _work.Task : Task.CompletedTask;
            }

            _writerStarted.TrySetResult();
            await work.ConfigureAwait(true);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            // Unless under always, let a second's worth of changes gather, unless someone needs them
            // now or the batch is full.
            var wait = EverySecondPeriod - _time.GetElapsedTime(lastCommit);
            if (Durability != Durability.Always && wait > TimeSpan.Zero)
            {
                Task forced;
                lock (_lock)
                {
                    forced = _forced.Task;
                }

                if (!forced.IsCompleted)
                {
                    using var cut = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    await Task.WhenAny(Task.Delay(wait, _time, cut.Token), forced).ConfigureAwait(true);
                    await cut.CancelAsync().ConfigureAwait(true);
                }
            }

            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(true);
            Published published;
            try
            {
                var (batch, last) = await TakeBatchAsync().ConfigureAwait(true);
                published = await CommitAsync(batch, last, stopping).ConfigureAwait(true);
            }
            finally
            {
                _gate.Release();
            }

            Release(published, onLoop: false);
            if (published.Failed)
            {
                await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(ResumeHere | ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (published.Size > 0)
            {
                lastCommit = _time.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// Commits, on the calling event loop's thread, what is pending: called before the loop waits
    /// for more work (see <see cref="LoopCommits"/>). Where it cannot (the writer is committing, a
    /// hold is open, the store is failing) it hands the work to the writer.
    /// </summary>
    internal void CommitOnLoop()
    {
        if (_error is not null || Volatile.Read(ref _disposed) != 0 || !_gate.Wait(0))
        {
            Wake();
            return;
        }

        Published? published = null;
        try
        {
            (List<StorageOperation> Batch, long Last)? taken = null;
            lock (_lock)
            {
                if (_holds == 0)
                {
                    taken = TakeBatch();
                }
            }

            // An embedded store's commit completes synchronously; the loop's is never cancelled
            // (the writer's token may be disposed by now).
            if (taken is { } batch)
            {
                published = CommitAsync(batch.Batch, batch.Last, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        finally
        {
            _gate.Release();
        }

        if (published is { } done)
        {
            Release(done, onLoop: true);
        }

        if (published is not { Failed: false })
        {
            Wake();
        }
    }

    // Under the gate: syncs what an earlier commit wrote but could not sync (nothing more is
    // written before that succeeds), then writes and syncs the batch. A failed write puts the batch
    // back ahead of what came since; a failed sync keeps it written, for the next try to sync.
    private async Task<Published> CommitAsync(List<StorageOperation> batch, long last, CancellationToken stopping)
    {
        var ready = new List<TaskCompletionSource>();
        if (_unsynced is { } unsynced)
        {
            if (!await TryStoreAsync(_storage.SyncAsync, stopping).ConfigureAwait(true))
            {
                Restore(batch);
                return new Published(ready, 0, Failed: true);
            }

            _unsynced = null;
            Publish(unsynced.Batch, unsynced.Last, ready);
        }

        if (batch.Count > 0)
        {
            if (!await TryCommitAsync(batch, stopping).ConfigureAwait(true))
            {
                Restore(batch);
                return new Published(ready, 0, Failed: true);
            }

            if (_storage.SyncsSeparately && !await TryStoreAsync(_storage.SyncAsync, stopping).ConfigureAwait(true))
            {
                _unsynced = new Unsynced(batch, last);
                return new Published(ready, 0, Failed: true);
            }

            var size = batch.Count;
            Publish(batch, last, ready);
            return new Published(ready, size, Failed: false);
        }

        return new Published(ready, 0, Failed: false);
    }

    private void Restore(List<StorageOperation> batch)
    {
        lock (_lock)
        {
            batch.AddRange(_pending);
            _pending = batch;
        }
    }

    // Makes a durable batch count as committed: barriers and reads waiting for it go on.
    private void Publish(List<StorageOperation> batch, long last, List<TaskCompletionSource> ready)
    {
        lock (_lock)
        {
            Interlocked.Exchange(ref _committed, last);
            foreach (var operation in batch)
            {
                var grain = operation.Grain;
                if (_uncommitted.TryGetValue(grain, out var sequence) && sequence <= last)
                {
                    _uncommitted.Remove(grain);
                }

                switch (operation)
                {
                    case DeleteGrain:
                        _stored.Remove(grain);
                        break;
                    case AppendRecords or WriteSnapshot:
                        _stored.Add(grain);
                        break;
                }
            }

            batch.Clear();
            _spare = batch;

            while (_waiters.TryPeek(out _, out var target) && target <= _committed)
            {
                ready.Add(_waiters.Dequeue());
            }
        }
    }

    // Lets the waiters of a commit go on, after the gate is open again (they may hand over more).
    // The writer hands a big batch's waiters to the releaser and goes on to the next commit; an
    // event loop releases them itself, as it would run what they do next anyway.
    private void Release(Published published, bool onLoop)
    {
        if (published.Ready.Count == 0)
        {
            return;
        }

        if ((!onLoop && published.Size > InlineReleaseLimit) || Volatile.Read(ref _releasesQueued) > 0)
        {
            Interlocked.Increment(ref _releasesQueued);
            _releaser!.Post(
                static state =>
                {
                    var (journal, waiters) = ((GrainJournal, List<TaskCompletionSource>))state!;
                    ReleaseWaiters(waiters);
                    Interlocked.Decrement(ref journal._releasesQueued);
                },
                (this, published.Ready));
            return;
        }

        ReleaseWaiters(published.Ready);
    }

    // The waiters (connections sending their replies) go on here, inline, rather than each waking
    // a thread-pool thread; without this thread's context, so that what they await later does not
    // come back to it.
    private static void ReleaseWaiters(List<TaskCompletionSource> ready)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            foreach (var waiter in ready)
            {
                waiter.TrySetResult();
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private async Task<bool> TryCommitAsync(List<StorageOperation> batch, CancellationToken stopping)
    {
        if (!await TryStoreAsync(cancellation => _storage.CommitAsync(batch, cancellation), stopping).ConfigureAwait(true))
        {
            return false;
        }

        Interlocked.Increment(ref _commits);
        LastCommitTime = _time.GetUtcNow();
        return true;
    }

    // A commit or a sync; the store's failing and recovering are logged once each way.
    private async Task<bool> TryStoreAsync(Func<CancellationToken, Task> action, CancellationToken stopping)
    {
        try
        {
            await action(stopping).ConfigureAwait(true);
            if (_error is not null)
            {
                Log.StorageRecovered(_logger, _storage.Name);
                _error = null;
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            if (_error is null)
            {
                Log.StorageFailed(_logger, e, _storage.Name);
            }

            _error = e.Message;
            return false;
        }
    }

    private sealed record Unsynced(List<StorageOperation> Batch, long Last);

    // What a commit let go: the waiters to release, and how many changes the batch had.
    private readonly record struct Published(List<TaskCompletionSource> Ready, int Size, bool Failed);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
