namespace Platform.Silo.Storage;

/// <summary>
/// Grain state kept in this process's memory: it outlives grain activations, not the process.
/// For tests, and for a server that needs no persistence but collects idle grains.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Type, string Key), Entry> _grains = [];

    /// <inheritdoc/>
    public string Name => "memory";

    /// <inheritdoc/>
    public bool IsEmbedded => true;

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<StoredGrain?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_grains.TryGetValue((grainType, grainKey), out var entry)
                ? new StoredGrain(entry.Snapshot, entry.SnapshotVersion, entry.ExpiresAtMs, [.. entry.Journal])
                : null);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredKey>> ListAsync(string grainType, string keyPrefix, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<StoredKey> keys = [.. _grains
                .Where(g => g.Key.Type == grainType && g.Key.Key.StartsWith(keyPrefix, StringComparison.Ordinal))
                .Select(g => new StoredKey(g.Key.Key, g.Value.ExpiresAtMs))];
            return Task.FromResult(keys);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<(string GrainType, string GrainKey)>> ListAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<(string, string)> grains = [.. _grains.Keys];
            return Task.FromResult(grains);
        }
    }

    /// <inheritdoc/>
    public Task CommitAsync(IReadOnlyList<StorageOperation> batch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var operation in batch)
            {
                var id = (operation.GrainType, operation.GrainKey);
                switch (operation)
                {
                    case AppendRecords append:
                        Get(id).Journal.Add((append.FirstVersion, append.Records));
                        break;
                    case WriteSnapshot snapshot:
                        var entry = Get(id);
                        entry.Snapshot = snapshot.Snapshot;
                        entry.SnapshotVersion = snapshot.Version;
                        entry.ExpiresAtMs = snapshot.ExpiresAtMs;
                        entry.Journal.RemoveAll(j => j.FirstVersion <= snapshot.Version);
                        break;
                    case SetExpiry expiry when _grains.TryGetValue(id, out var existing):
                        existing.ExpiresAtMs = expiry.ExpiresAtMs;
                        break;
                    case DeleteGrain:
                        _grains.Remove(id);
                        break;
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Entry Get((string, string) id)
    {
        if (!_grains.TryGetValue(id, out var entry))
        {
            entry = new Entry();
            _grains.Add(id, entry);
        }

        return entry;
    }

    private sealed class Entry
    {
        public byte[]? Snapshot { get; set; }

        public long SnapshotVersion { get; set; }

        public long ExpiresAtMs { get; set; } = -1;

        public List<(long FirstVersion, byte[] Records)> Journal { get; } = [];
    }
}
