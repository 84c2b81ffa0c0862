using Platform.Silo;

namespace Platform.Grains.Keyspace;

/// <summary>A page of SCAN.</summary>
/// <param name="Cursor">The cursor for the next call; 0 when the iteration is complete.</param>
/// <param name="Keys">Keys (names) in this page.</param>
public readonly record struct ScanPage(ulong Cursor, string[] Keys);

/// <summary>
/// One database's index of keys and their expiry times (key: the database number): what KEYS,
/// SCAN, DBSIZE, RANDOMKEY, EXISTS, TYPE and FLUSHDB need without touching each key, and the
/// active expiry of keys nobody reads. Key grains keep it up to date with one-way calls
/// (<see cref="KeyChangedAsync"/>, <see cref="KeyRemovedAsync"/>) that they do not wait for, so
/// the two never wait on each other. It is loaded from the store when it activates.
/// </summary>
public interface IKeyspaceGrain : IGrainWithStringKey
{
    /// <summary>A key was created or its expiry changed (-1: none).</summary>
    ValueTask KeyChangedAsync(string name, long expiresAtMs);

    /// <summary>A key was deleted or expired.</summary>
    ValueTask KeyRemovedAsync(string name);

    /// <summary>A key's grain is collected: when a command last used the key (OBJECT IDLETIME).</summary>
    ValueTask KeyUsedAsync(string name, long usedAtMs);

    /// <summary>
    /// When a command last used the key before its grain's activation (Unix ms): as told by
    /// <see cref="KeyUsedAsync"/>, else when this index learned of the key; -2 without the key.
    /// </summary>
    ValueTask<long> UsedAtAsync(string name);

    /// <summary>DBSIZE.</summary>
    ValueTask<long> SizeAsync();

    /// <summary>EXISTS: how many of the names exist (a name counted each time it is given).</summary>
    ValueTask<long> CountExistingAsync(string[] names);

    /// <summary>KEYS: the names matching a glob pattern (bytes as Latin-1 string).</summary>
    ValueTask<string[]> KeysAsync(string pattern);

    /// <summary>SCAN: up to about <paramref name="count"/> keys examined from <paramref name="cursor"/>.</summary>
    ValueTask<ScanPage> ScanAsync(ulong cursor, string? pattern, long count);

    /// <summary>RANDOMKEY: null when the database is empty.</summary>
    ValueTask<string?> RandomKeyAsync();

    /// <summary>INFO keyspace: keys, keys with an expiry, and their average time to live in ms.</summary>
    ValueTask<(long Keys, long Expires, long AverageTtlMs)> InfoAsync();

    /// <summary>FLUSHDB: deletes every key; returns how many there were.</summary>
    ValueTask<long> FlushAsync();

    /// <summary>
    /// SAVE: every key hands a snapshot to the store, and stored keys that no longer exist are
    /// removed from it; returns the number of keys saved. The caller waits for the store's commit.
    /// </summary>
    ValueTask<long> SaveAsync();
}
