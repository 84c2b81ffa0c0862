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

    /// <summary>Applies the operations in order, all or none, durably (one transaction, one sync).</summary>
    Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken);
}
