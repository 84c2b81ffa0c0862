namespace Platform.Silo.Storage;

/// <summary>One change to stored grain state, committed by the journal's writer with others in one transaction.</summary>
/// <param name="GrainType">The kind of grain ("stream").</param>
/// <param name="GrainKey">The grain's key.</param>
public abstract record StorageOperation(string GrainType, string GrainKey)
{
    /// <summary>The grain's type and key, hashed once for the maps a commit goes through.</summary>
    public GrainName Grain { get; } = new(GrainType, GrainKey);
}

/// <summary>Appends journal records (consecutive versions) of a grain.</summary>
/// <param name="GrainType">The kind of grain.</param>
/// <param name="GrainKey">The grain's key.</param>
/// <param name="FirstVersion">The first record's version; the others follow.</param>
/// <param name="Records">The records' bytes, each length-prefixed by the grain's own format.</param>
public sealed record AppendRecords(string GrainType, string GrainKey, long FirstVersion, byte[] Records) : StorageOperation(GrainType, GrainKey);

/// <summary>Replaces a grain's snapshot and drops the journal records it includes.</summary>
/// <param name="GrainType">The kind of grain.</param>
/// <param name="GrainKey">The grain's key.</param>
/// <param name="Version">The last record the snapshot includes.</param>
/// <param name="Snapshot">The state's bytes.</param>
/// <param name="ExpiresAtMs">The key's expiry (Unix ms), -1 for none.</param>
public sealed record WriteSnapshot(string GrainType, string GrainKey, long Version, byte[] Snapshot, long ExpiresAtMs) : StorageOperation(GrainType, GrainKey);

/// <summary>Records a grain's expiry, which the keyspace lists without loading the grain.</summary>
/// <param name="GrainType">The kind of grain.</param>
/// <param name="GrainKey">The grain's key.</param>
/// <param name="ExpiresAtMs">The expiry (Unix ms), -1 for none.</param>
public sealed record SetExpiry(string GrainType, string GrainKey, long ExpiresAtMs) : StorageOperation(GrainType, GrainKey);

/// <summary>Removes a grain's snapshot and journal.</summary>
/// <param name="GrainType">The kind of grain.</param>
/// <param name="GrainKey">The grain's key.</param>
public sealed record DeleteGrain(string GrainType, string GrainKey) : StorageOperation(GrainType, GrainKey);
