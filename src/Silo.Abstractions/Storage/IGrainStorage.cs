namespace Platform.Silo.Storage;

/// <summary>
/// Where grain state lives between activations and restarts: a provider (memory, SQLite,
/// PostgreSQL) stores each grain's snapshot and journal. Only the journal's writer commits to it,
/// many grains' changes in one transaction.
/// </summary>
public interface IGrainStorage : IAsyncDisposable
{
    /// <summary>The provider's name, for INFO ("sqlite", "postgresql", "memory").</summary>
    string Name { get; }

    /// <summary>Opens the store, creating or migrating its schema; fails clearly on a store it cannot read.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>A grain's stored state; null when nothing is stored.</summary>
    Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken);

    /// <summary>The stored grains of a type whose keys start with <paramref name="keyPrefix"/>.</summary>
    Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken);

    /// <summary>Every stored grain (type and key), for the journal to answer "nothing stored" without a query.</summary>
    Task<IReadOnlyList<(string GrainType, string GrainKey)>> ListAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies the operations in order, all or none, in one transaction: durably, unless
    /// <see cref="SyncsSeparately"/>, in which case the batch is durable once a later
    /// <see cref="SyncAsync"/> completes.
    /// </summary>
    Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a commit returns before its batch is on disk, leaving the disk to <see cref="SyncAsync"/>:
    /// the journal then syncs after each commit, and retries a failed sync without committing again.
    /// </summary>
    bool SyncsSeparately => false;

    /// <summary>
    /// Whether the store lives in this process and commits synchronously, so that an event loop
    /// may commit on its own thread before it waits (as Redis fsyncs in its loop). A store behind
    /// a network (PostgreSQL) is not: a slow or lost server would stall every connection of the loop.
    /// </summary>
    bool IsEmbedded => false;

    /// <summary>
    /// Makes every batch committed so far durable (one sync for them all). A failure leaves them
    /// committed but not known to be durable: the sync is tried again, the batches are not committed again.
    /// </summary>
    Task SyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
