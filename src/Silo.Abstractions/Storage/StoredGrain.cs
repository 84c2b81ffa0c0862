namespace Platform.Silo.Storage;

/// <summary>A grain's stored state: its latest snapshot and the journal written after it.</summary>
/// <param name="Snapshot">The snapshot's bytes; null before the first snapshot.</param>
/// <param name="SnapshotVersion">The last record the snapshot includes (0 without one).</param>
/// <param name="ExpiresAtMs">The key's expiry (Unix ms), -1 for none.</param>
/// <param name="Journal">Record batches after the snapshot, in order: each with its first version.</param>
public sealed record StoredGrain(byte[]? Snapshot, long SnapshotVersion, long ExpiresAtMs, IReadOnlyList<(long FirstVersion, byte[] Records)> Journal);

/// <summary>A key and its expiry, as the keyspace lists them.</summary>
/// <param name="Key">The grain key.</param>
/// <param name="ExpiresAtMs">Its expiry (Unix ms), -1 for none.</param>
public readonly record struct StoredKey(string Key, long ExpiresAtMs);
