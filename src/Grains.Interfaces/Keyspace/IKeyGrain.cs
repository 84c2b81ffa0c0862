using Platform.Silo;

namespace Platform.Grains.Keyspace;

/// <summary>EXPIRE's conditions (Redis 7): NX, XX, GT, LT.</summary>
[Flags]
public enum ExpireCondition
{
    /// <summary>Always.</summary>
    None = 0,

    /// <summary>Only when the key has no expiry.</summary>
    IfNone = 1,

    /// <summary>Only when the key has an expiry.</summary>
    IfSome = 2,

    /// <summary>Only when the new expiry is later.</summary>
    IfGreater = 4,

    /// <summary>Only when the new expiry is earlier.</summary>
    IfLess = 8,
}

/// <summary>A key's whole value and expiry, moved by RENAME or MOVE, copied by COPY, or restored by RESTORE.</summary>
/// <param name="Data">The value, serialized.</param>
/// <param name="ExpiresAtMs">Its expiry (Unix ms), -1 for none.</param>
/// <param name="SourceKey">The key it came from: the destination raises rename_from or move_from for it, in Redis's order.</param>
/// <param name="SourceDatabase">The database of <paramref name="SourceKey"/> (MOVE's move_from is raised there).</param>
/// <param name="IdleMs">How long before now the value was last used (RESTORE's IDLETIME); 0: now.</param>
public sealed record KeyDump(byte[] Data, long ExpiresAtMs, string SourceKey, int SourceDatabase, long IdleMs = 0);

/// <summary>The command that brings a key to its destination, for Redis's keyspace events.</summary>
public enum KeyArrival
{
    /// <summary>RENAME, RENAMENX: new, rename_from, rename_to.</summary>
    Renamed,

    /// <summary>COPY: new, copy_to.</summary>
    Copied,

    /// <summary>MOVE: new, move_from (in the source's database), move_to.</summary>
    Moved,

    /// <summary>RESTORE: new, restore.</summary>
    Restored,
}

/// <summary>
/// What every key can do, whatever its type (the keyspace commands on one key): exist, be
/// deleted, expire, be moved. Stream keys implement it.
/// </summary>
public interface IKeyGrain : IGrainWithStringKey
{
    /// <summary>Whether the key exists (expired keys do not); not a use of the key.</summary>
    ValueTask<bool> ExistsAsync();

    /// <summary>TOUCH: whether the key exists, marking it used (OBJECT IDLETIME).</summary>
    ValueTask<bool> TouchAsync();

    /// <summary>
    /// OBJECT IDLETIME: when a command last used the key (Unix ms); 0 when none has since the
    /// grain was activated (the keyspace knows the time before), -2 without the key.
    /// </summary>
    ValueTask<long> UsedAtAsync();

    /// <summary>DEL/UNLINK: true if the key existed.</summary>
    ValueTask<bool> DeleteAsync();

    /// <summary>EXPIRE family, at an absolute Unix time in ms: 1 if set (or deleted, when in the past), else 0.</summary>
    ValueTask<long> ExpireAsync(long atMs, ExpireCondition condition);

    /// <summary>The absolute expiry (Unix ms); -1 without expiry, -2 without the key.</summary>
    ValueTask<long> ExpiryAsync();

    /// <summary>PERSIST: true if an expiry was removed.</summary>
    ValueTask<bool> PersistAsync();

    /// <summary>RENAME's and MOVE's first half: removes the key and returns it (null if it does not exist), raising no event yet.</summary>
    ValueTask<KeyDump?> TakeAsync();

    /// <summary>COPY's first half: the key as it is (null if it does not exist), left in place.</summary>
    ValueTask<KeyDump?> CopyAsync();

    /// <summary>
    /// The second half of RENAME, MOVE and COPY, and RESTORE: the key becomes <paramref name="dump"/>,
    /// replacing what it was, with Redis's events for <paramref name="arrival"/>.
    /// </summary>
    ValueTask PutAsync(KeyDump dump, KeyArrival arrival);

    /// <summary>A number that changes whenever the key does (WATCH).</summary>
    ValueTask<long> VersionAsync();

    /// <summary>Deletes the key if its expiry has passed (the keyspace's active expiry); true if it did.</summary>
    ValueTask<bool> ExpireIfDueAsync();

    /// <summary>FLUSHDB/FLUSHALL: removes the key without a keyspace event.</summary>
    ValueTask ClearAsync();

    /// <summary>SAVE: hands a snapshot of the key to the store.</summary>
    ValueTask SaveAsync();
}
