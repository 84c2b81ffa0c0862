namespace Platform.Silo.Storage;

/// <summary>
/// What a grain persists through (Orleans's grain storage, as a journal): it hands over each
/// change without waiting, and reads its stored state when it activates. The runtime commits the
/// changes of all grains together and decides, by the durability mode, when clients may learn of them.
/// </summary>
public interface IGrainJournal
{
    /// <summary>
    /// Whether grains journal their changes; false under appendfsync no (memory only), when a grain
    /// keeps what it changed in memory until a SAVE asks for a snapshot.
    /// </summary>
    bool IsEnabled { get; }

    /// <summary>Hands over a change; never waits for the store.</summary>
    /// <returns>The change's sequence number.</returns>
    long Append(StorageOperation operation);

    /// <summary>Completes once everything handed over so far is committed.</summary>
    Task FlushAsync();

    /// <summary>A grain's stored state, including every change it handed over before (null when nothing is stored).</summary>
    Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken);

    /// <summary>The stored grains of a type whose keys start with <paramref name="keyPrefix"/>.</summary>
    Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken);
}
