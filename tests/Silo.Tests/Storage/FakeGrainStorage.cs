using Platform.Silo.Storage;
using Platform.TestSupport;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// A store the test steers: it records every commit attempt (a copy: the journal reuses its
/// lists), can hold commits until released, and can fail the next ones. Made to sync separately
/// (<see cref="SeparateSyncs"/>), it does the same with its syncs.
/// </summary>
internal sealed class FakeGrainStorage : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly List<TaskCompletionSource> _held = [];
    private readonly List<StorageOperation[]> _attempts = [];
    private readonly List<int> _attemptThreads = [];
    private readonly List<StorageOperation[]> _commits = [];
    private readonly List<int> _committedAtReads = [];
    private readonly List<TaskCompletionSource> _heldSyncs = [];
    private readonly List<int> _commitsAtSyncs = [];
    private int _failNext;
    private int _failNextSyncs;
    private int _initializations;

    public string Name => "fake";

    /// <summary>The grains the store holds when opened (what ListAllAsync answers).</summary>
    public List<(string GrainType, string GrainKey)> Stored { get; } = [];

    /// <summary>Whether commits leave the disk to <see cref="SyncAsync"/> (set before the journal starts).</summary>
    public bool SeparateSyncs { get; set; }

    /// <summary>Whether the store says it is embedded (an event loop may commit on its thread).</summary>
    public bool Embedded { get; set; }

    /// <summary>Whether syncs wait for <see cref="ReleaseSync"/>.</summary>
    public bool HoldingSyncs { get; set; }

    /// <summary>Sync attempts begun (counted once recorded and, when holding, held).</summary>
    public EventCounter SyncsStarted { get; } = new();

    /// <summary>For each successful sync, how many commits it covered (all made before it).</summary>
    public List<int> CommitsAtSyncs
    {
        get
        {
            lock (_lock)
            {
                return [.. _commitsAtSyncs];
            }
        }
    }

    /// <summary>Whether commits wait for <see cref="ReleaseOne"/>.</summary>
    public bool Holding { get; set; }

    /// <summary>Commit attempts begun (counted once the attempt is recorded and, when holding, held).</summary>
    public EventCounter Started { get; } = new();

    /// <summary>Commit attempts ended, succeeded or failed.</summary>
    public EventCounter Ended { get; } = new();

    public int Initializations => Volatile.Read(ref _initializations);

    /// <summary>Every attempt's batch, in order.</summary>
    public List<StorageOperation[]> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>The managed thread of every attempt, in order.</summary>
    public List<int> AttemptThreads
    {
        get
        {
            lock (_lock)
            {
                return [.. _attemptThreads];
            }
        }
    }

    /// <summary>Every committed batch, in order.</summary>
    public List<StorageOperation[]> Commits
    {
        get
        {
            lock (_lock)
            {
                return [.. _commits];
            }
        }
    }

    /// <summary>Every committed operation, in commit order.</summary>
    public List<StorageOperation> Committed => [.. Commits.SelectMany(c => c)];

    /// <summary>For each read or list that reached the store, how many operations were committed when it came.</summary>
    public List<int> CommittedAtReads
    {
        get
        {
            lock (_lock)
            {
                return [.. _committedAtReads];
            }
        }
    }

    /// <summary>Fails the next <paramref name="count"/> commits with an IOException ("disk full").</summary>
    public void FailNext(int count)
    {
        lock (_lock)
        {
            _failNext = count;
        }
    }

    /// <summary>Fails the next <paramref name="count"/> syncs with an IOException.</summary>
    public void FailNextSyncs(int count)
    {
        lock (_lock)
        {
            _failNextSyncs = count;
        }
    }

    /// <summary>Lets the oldest held sync go on.</summary>
    public void ReleaseSync() => ReleaseOldest(_heldSyncs);

    /// <summary>Lets the oldest held commit go on.</summary>
    public void ReleaseOne() => ReleaseOldest(_held);

    /// <summary>Stops holding commits and lets every held one go on.</summary>
    public void ReleaseAll()
    {
        List<TaskCompletionSource> gates;
        lock (_lock)
        {
            Holding = false;
            HoldingSyncs = false;
            gates = [.. _held, .. _heldSyncs];
            _held.Clear();
            _heldSyncs.Clear();
        }

        gates.ForEach(gate => gate.SetResult());
    }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _initializations);
        return Task.CompletedTask;
    }

    public Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        NoteRead();
        return Task.FromResult<StoredGrain?>(null);
    }

    public Task<IReadOnlyList<(string GrainType, string GrainKey)>> ListAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string GrainType, string GrainKey)>>([.. Stored]);

    public Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken)
    {
        NoteRead();
        return Task.FromResult<IReadOnlyList<StoredKey>>([]);
    }

    public async Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
    {
        Task gate;
        lock (_lock)
        {
            _attempts.Add([.. batch]);
            _attemptThreads.Add(Environment.CurrentManagedThreadId);
            gate = Gate(Holding, _held);
        }

        Started.Increment();
        try
        {
            await gate.WaitAsync(cancellationToken);

            lock (_lock)
            {
                if (_failNext > 0)
                {
                    _failNext--;
                    throw new IOException("disk full");
                }

                _commits.Add([.. batch]);
            }
        }
        finally
        {
            Ended.Increment();
        }
    }

    bool IGrainStorage.SyncsSeparately => SeparateSyncs;

    bool IGrainStorage.IsEmbedded => Embedded;

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        Task gate;
        int commits;
        lock (_lock)
        {
            commits = _commits.Count;
            gate = Gate(HoldingSyncs, _heldSyncs);
        }

        SyncsStarted.Increment();
        await gate.WaitAsync(cancellationToken);

        lock (_lock)
        {
            if (_failNextSyncs > 0)
            {
                _failNextSyncs--;
                throw new IOException("sync failed");
            }

            _commitsAtSyncs.Add(commits);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // What a call waits at: a gate the test releases (ReleaseOne, ReleaseSync) while calls are held;
    // taken under the lock.
    private static Task Gate(bool holding, List<TaskCompletionSource> held)
    {
        if (!holding)
        {
            return Task.CompletedTask;
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        held.Add(gate);
        return gate.Task;
    }

    private void ReleaseOldest(List<TaskCompletionSource> held)
    {
        TaskCompletionSource gate;
        lock (_lock)
        {
            gate = held[0];
            held.RemoveAt(0);
        }

        gate.SetResult();
    }

    private void NoteRead()
    {
        lock (_lock)
        {
            _committedAtReads.Add(_commits.Sum(c => c.Length));
        }
    }
}
