using Platform.Silo.Storage;
using static Platform.Silo.Tests.Storage.StorageData;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// What every grain storage provider must do (IGrainStorage, StorageOperation): each provider's
/// test class derives from this and opens a fresh, initialized store. The grain type is the
/// test's own, so tests that share a database (PostgreSQL) never see each other's grains.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    private IGrainStorage? _storage;

    /// <summary>This test's grain type.</summary>
    protected string Type { get; } = "stream-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The store under test.</summary>
    protected IGrainStorage Storage => _storage ?? throw new InvalidOperationException("The store is not open.");

    public virtual async Task InitializeAsync() => _storage = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    /// <summary>Closes the store and opens it again, as a server's restart does; gives the new one.</summary>
    protected async Task<IGrainStorage> RestartAsync()
    {
        await Storage.DisposeAsync();
        _storage = null;
        return _storage = await OpenAsync();
    }

    [Fact]
    public async Task Appends_read_back_in_order_across_batches()
    {
        await CommitAsync(Append("k", 1, 2), Append("k", 3, 1));
        await CommitAsync(Append("k", 4, 3));
        await CommitAsync(Append("other", 1, 1), Append("k", 7, 1), Append("other", 2, 1));

        var grain = await ReadAsync("k");
        Assert.NotNull(grain);
        Assert.Null(grain.Snapshot);
        Assert.Equal(0, grain.SnapshotVersion);
        Assert.Equal(-1, grain.ExpiresAtMs);
        Assert.Equal(Range(1, 7), Versions(grain));
        Assert.Equal(Range(1, 2), Versions(await ReadAsync("other")));
        Assert.Null(await ReadAsync("missing"));
        Assert.Null(await Storage.ReadAsync(Type + "-other", "k", CancellationToken.None));
    }

    [Fact]
    public async Task A_snapshot_drops_the_journal_up_to_its_version_and_keeps_later_records()
    {
        await CommitAsync(Append("k", 1, 2));

        // In one batch: a record the snapshot includes, the snapshot, and a record after it.
        await CommitAsync(Append("k", 3, 1), Snapshot("k", 3, "s3", 100), Append("k", 4, 1));
        var grain = await ReadAsync("k");
        Assert.NotNull(grain);
        Assert.Equal(Bytes("s3"), grain.Snapshot);
        Assert.Equal(3, grain.SnapshotVersion);
        Assert.Equal(100, grain.ExpiresAtMs);
        Assert.Equal([4L], Versions(grain));

        // A later snapshot drops the rows it includes and keeps the rows after it.
        await CommitAsync(Append("k", 5, 2));
        await CommitAsync(Snapshot("k", 4, "s4", -1));
        grain = await ReadAsync("k");
        Assert.NotNull(grain);
        Assert.Equal(Bytes("s4"), grain.Snapshot);
        Assert.Equal(4, grain.SnapshotVersion);
        Assert.Equal(-1, grain.ExpiresAtMs);
        Assert.Equal([5L, 6L], Versions(grain));

        // A snapshot is enough to store a grain.
        await CommitAsync(Snapshot("fresh", 7, "s7", 5));
        grain = await ReadAsync("fresh");
        Assert.NotNull(grain);
        Assert.Equal(Bytes("s7"), grain.Snapshot);
        Assert.Equal(7, grain.SnapshotVersion);
        Assert.Empty(grain.Journal);
        Assert.Contains(new StoredKey("fresh", 5), await ListAsync(""));
    }

    [Fact]
    public async Task A_snapshot_of_no_bytes_reads_back_empty_not_absent()
    {
        await CommitAsync(new WriteSnapshot(Type, "k", 0, [], -1));

        var grain = await ReadAsync("k");
        Assert.NotNull(grain);
        Assert.NotNull(grain.Snapshot);
        Assert.Empty(grain.Snapshot);
    }

    [Fact]
    public async Task An_expiry_shows_in_list_and_read()
    {
        await CommitAsync(Append("k", 1, 1), Append("j", 1, 1));
        await CommitAsync(new SetExpiry(Type, "k", 1_234_567));
        Assert.Equal(1_234_567, (await ReadAsync("k"))!.ExpiresAtMs);
        Assert.Equal([new StoredKey("j", -1), new StoredKey("k", 1_234_567)], await ListAsync(""));

        // Appends keep it; a snapshot sets it; -1 clears it.
        await CommitAsync(Append("k", 2, 1));
        Assert.Equal(1_234_567, (await ReadAsync("k"))!.ExpiresAtMs);
        await CommitAsync(Snapshot("k", 2, "s", 777));
        Assert.Equal([new StoredKey("j", -1), new StoredKey("k", 777)], await ListAsync(""));
        await CommitAsync(new SetExpiry(Type, "k", -1));
        Assert.Equal(-1, (await ReadAsync("k"))!.ExpiresAtMs);
        Assert.Equal([new StoredKey("j", -1), new StoredKey("k", -1)], await ListAsync(""));

        // The expiry of a grain that is not stored stores nothing.
        await CommitAsync(new SetExpiry(Type, "missing", 99));
        Assert.Null(await ReadAsync("missing"));
        Assert.Equal(["j", "k"], (await ListAsync("")).Select(k => k.Key));
    }

    [Fact]
    public async Task A_deleted_grain_appended_again_starts_fresh()
    {
        await CommitAsync(Append("k", 1, 3));
        await CommitAsync(Snapshot("k", 3, "s", 500), Append("k", 4, 1));
        await CommitAsync(new DeleteGrain(Type, "k"));
        Assert.Null(await ReadAsync("k"));
        Assert.Empty(await ListAsync(""));

        await CommitAsync(Append("k", 1, 1));
        var grain = await ReadAsync("k");
        Assert.NotNull(grain);
        Assert.Null(grain.Snapshot);
        Assert.Equal(0, grain.SnapshotVersion);
        Assert.Equal(-1, grain.ExpiresAtMs);
        Assert.Equal([1L], Versions(grain));

        // The same within one batch: the delete drops what came before it, versions start at 1 again.
        await CommitAsync(Append("j", 1, 2), new SetExpiry(Type, "j", 9), Snapshot("j", 2, "sj", 9), new DeleteGrain(Type, "j"), Append("j", 1, 1));
        grain = await ReadAsync("j");
        Assert.NotNull(grain);
        Assert.Null(grain.Snapshot);
        Assert.Equal(0, grain.SnapshotVersion);
        Assert.Equal(-1, grain.ExpiresAtMs);
        Assert.Equal([1L], Versions(grain));

        // Deleting what is not stored is no error.
        await CommitAsync(new DeleteGrain(Type, "never"));
        Assert.Null(await ReadAsync("never"));
    }

    [Fact]
    public async Task A_list_takes_the_keys_that_start_with_the_prefix_byte_for_byte()
    {
        string[] keys =
        [
            "1:", "1:a", "1::", "1:\0", "1:\0\0", "1:\u00ff", "1:\u00ff\u00ff", "1:\u00ff\0", "1;", "1", "11:x", "10:a",
            "2:a", "\0", "\0:a", "\u00ff:a", "a\u00ff", "a\u00ff\u00ffb", "a\u00fe", "b", "B",
        ];
        await CommitAsync([.. keys.Select(key => (StorageOperation)Append(key, 1, 1))]);
        await CommitAsync(keys.Select((key, i) => (StorageOperation)new SetExpiry(Type, key, 1000 + i)).ToArray());

        // The same key under another grain type is never listed.
        await Storage.CommitAsync([new AppendRecords(Type + "-other", "1:other", 1, Records(1, 1))], CancellationToken.None);

        string[] prefixes = ["1:", "1", "11:", "1:\0", "1:\u00ff", "1:\u00ff\u00ff", "\0", "\u00ff", "a\u00ff", "a", "2:", "3:", "1:a", "1:ab"];
        foreach (var prefix in prefixes)
        {
            var expected = keys
                .Select((key, i) => new StoredKey(key, 1000 + i))
                .Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(k => k.Key, StringComparer.Ordinal)
                .ToList();
            var listed = await ListAsync(prefix);
            Assert.True(
                expected.SequenceEqual(listed),
                $"prefix '{Printable(prefix)}': expected [{string.Join(", ", expected.Select(k => Printable(k.Key)))}], " +
                $"listed [{string.Join(", ", listed.Select(k => Printable(k.Key)))}]");
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await ListAsync("")).Select(k => k.Key));
    }

    [Fact]
    public async Task A_list_with_an_empty_or_all_0xff_prefix_takes_every_key_that_starts_with_it()
    {
        string[] keys = ["a", "\u00ff", "\u00ff\u00ff\u00ff\u00ff", "\u00ff\u00ff\u00ff\u00ff\u00ff", "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\0x"];
        await CommitAsync([.. keys.Select(key => (StorageOperation)Append(key, 1, 1))]);

        Assert.Equal(keys, (await ListAsync("")).Select(k => k.Key));
        Assert.Equal(keys[1..], (await ListAsync("\u00ff")).Select(k => k.Key));
        Assert.Equal(keys[2..], (await ListAsync("\u00ff\u00ff\u00ff\u00ff")).Select(k => k.Key));
    }

    [Fact]
    public async Task Binary_keys_and_data_round_trip()
    {
        var everyByte = Key([.. Enumerable.Range(0, 256).Select(b => (byte)b)]);
        string[] keys = [everyByte, "", "\0", "\0\0", "\u00ff", "\u00ff\u00fe", "a\r\nb", "\u00e9t\u00e9", "1:\0\u00ff:", " ", "%_*'\"\\"];
        var snapshot = everyByte.Select(c => (byte)c).Reverse().ToArray();
        var operations = new List<StorageOperation>();
        foreach (var key in keys)
        {
            operations.Add(Append(key, 1, 2));
            operations.Add(new WriteSnapshot(Type, key, 2, snapshot, 42));
            operations.Add(Append(key, 3, 1));
        }

        await CommitAsync([.. operations]);

        foreach (var key in keys)
        {
            var grain = await ReadAsync(key);
            Assert.True(grain is not null, $"'{Printable(key)}' is not found");
            Assert.Equal(snapshot, grain.Snapshot);
            Assert.Equal(2, grain.SnapshotVersion);
            Assert.Equal(42, grain.ExpiresAtMs);
            Assert.Equal([3L], Versions(grain));
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await ListAsync("")).Select(k => k.Key));

        // Keys that differ from a stored one by a byte at the end, or a byte's case, are other keys.
        Assert.Null(await ReadAsync(everyByte[..255]));
        Assert.Null(await ReadAsync(everyByte + "\0"));
        Assert.Null(await ReadAsync("\0\0\0"));
        Assert.Null(await ReadAsync("\u00c9t\u00e9"));
        Assert.Null(await ReadAsync("A\r\nb"));
    }

    /// <summary>
    /// A batch of many grains (a relational store inserts journal rows in groups, and the rest one
    /// by one): every grain reads back its own records, whatever group its row fell in.
    /// </summary>
    [Fact]
    public async Task A_batch_of_many_grains_reads_back_each_grain_s_own_records()
    {
        var keys = Enumerable.Range(0, 53).Select(i => new string((char)('a' + (i % 26)), 1 + (i * 7))).ToArray();
        await CommitAsync([.. keys.Select((key, i) => Append(key, 1, 1 + (i % 4)))]);
        await CommitAsync([.. keys.Select((key, i) => (key, i)).Where(k => k.i % 3 == 0).Select(k => Append(k.key, 2 + (k.i % 4), 2))]);

        for (var i = 0; i < keys.Length; i++)
        {
            var last = 1 + (i % 4);
            var expected = i % 3 == 0 ? Range(1, last + 2) : Range(1, last);
            Assert.Equal(expected, Versions(await ReadAsync(keys[i])));
        }
    }

    [Fact]
    public async Task Appends_of_grains_of_two_types_in_one_batch_read_back_under_their_own_type()
    {
        var other = Type + "-other";
        await CommitAsync(
            Append("a", 1, 1),
            new AppendRecords(other, "a", 1, Records(1, 2)),
            Append("b", 1, 3),
            new AppendRecords(other, "b", 1, Records(1, 4)));

        Assert.Equal(StorageData.Range(1, 1), Versions(await ReadAsync("a")));
        Assert.Equal(StorageData.Range(1, 3), Versions(await ReadAsync("b")));
        Assert.Equal(StorageData.Range(1, 2), Versions(await Storage.ReadAsync(other, "a", CancellationToken.None)));
        Assert.Equal(StorageData.Range(1, 4), Versions(await Storage.ReadAsync(other, "b", CancellationToken.None)));
    }

    [Fact]
    public async Task ListAll_gives_every_stored_grain_of_every_type()
    {
        var other = Type + "-other";
        await CommitAsync(Append("a", 1, 1), Snapshot("\0\u00ff", 1, "s", -1), Append("gone", 1, 1), new SetExpiry(Type, "never", 5));
        await Storage.CommitAsync([new AppendRecords(other, "a", 1, Records(1, 1))], CancellationToken.None);
        await CommitAsync(new DeleteGrain(Type, "gone"));

        var mine = (await Storage.ListAllAsync(CancellationToken.None))
            .Where(g => g.GrainType == Type || g.GrainType == other)
            .Select(g => $"{g.GrainType}/{Printable(g.GrainKey)}")
            .Order(StringComparer.Ordinal);
        Assert.Equal([$"{Type}-other/a", $"{Type}/\\x00\\xff", $"{Type}/a"], mine);
    }

    /// <summary>Opens a fresh, initialized store.</summary>
    protected abstract Task<IGrainStorage> OpenAsync();

    protected AppendRecords Append(string key, long first, int count) => new(Type, key, first, Records(first, count));

    protected WriteSnapshot Snapshot(string key, long version, string data, long expiresAtMs) => new(Type, key, version, Bytes(data), expiresAtMs);

    protected Task CommitAsync(params StorageOperation[] batch) => Storage.CommitAsync(batch, CancellationToken.None);

    protected Task<StoredGrain?> ReadAsync(string key) => Storage.ReadAsync(Type, key, CancellationToken.None);

    /// <summary>The listed keys, in byte order (the contract sets no order).</summary>
    protected async Task<List<StoredKey>> ListAsync(string prefix) =>
        [.. (await Storage.ListAsync(Type, prefix, CancellationToken.None)).OrderBy(k => k.Key, StringComparer.Ordinal)];

    /// <summary>Everything stored under this test's type about <paramref name="keys"/>, and every listed key.</summary>
    protected Task<string> DumpAsync(params string[] keys) => StorageData.DumpAsync(Storage, Type, keys);
}
