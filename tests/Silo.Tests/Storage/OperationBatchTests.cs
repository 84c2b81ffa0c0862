using Platform.Silo.Storage;
using static Platform.Silo.Tests.Storage.StorageData;

namespace Platform.Silo.Tests.Storage;

public sealed class OperationBatchTests
{
    [Fact]
    public void Consecutive_appends_of_a_grain_become_one_with_the_first_version()
    {
        var parts = new[] { Append("k", 1, 1), Append("k", 2, 2), Append("k", 4, 1) };
        var copies = parts.Select(p => (byte[])p.Records.Clone()).ToList();

        var merged = Assert.IsType<AppendRecords>(Assert.Single(new OperationBatch().Coalesce(parts)));

        Assert.Equal(("t", "k", 1L), (merged.GrainType, merged.GrainKey, merged.FirstVersion));
        Assert.Equal(Records(1, 4), merged.Records);
        Assert.Equal(copies, parts.Select(p => p.Records));
    }

    [Fact]
    public void A_lone_append_and_an_empty_batch_pass_unchanged()
    {
        Assert.Empty(new OperationBatch().Coalesce([]));
        var append = Append("k", 7, 3);
        Assert.Equal([append], new OperationBatch().Coalesce([append]));
    }

    [Fact]
    public void Appends_are_never_merged_across_a_snapshot_or_a_delete_of_the_grain()
    {
        var snapshot = new WriteSnapshot("t", "k", 2, [9], -1);
        var delete = new DeleteGrain("t", "k");
        var result = new OperationBatch().Coalesce([Append("k", 1, 1), Append("k", 2, 1), snapshot, Append("k", 3, 1), Append("k", 4, 1), delete, Append("k", 1, 1)]);

        Assert.Equal(
            [Append("k", 1, 2), snapshot, Append("k", 3, 2), delete, Append("k", 1, 1)],
            result,
            OperationComparer.Instance);
    }

    [Fact]
    public void Other_grains_in_between_keep_each_grains_order()
    {
        var snapshotJ = new WriteSnapshot("t", "j", 1, [1], -1);
        var expiryK = new SetExpiry("t", "k", 5);
        var result = new OperationBatch().Coalesce(
        [
            Append("k", 1, 1), Append("j", 1, 1), Append("k", 2, 1), snapshotJ, Append("j", 2, 1), Append("k", 3, 1),
            new AppendRecords("other-type", "k", 1, Records(1, 1)), Append("k", 4, 1), expiryK, Append("k", 5, 1),
        ]);

        // Each grain's operations, in the order they came, are the same before and after.
        Assert.Equal(
            [Append("k", 1, 4), Append("j", 1, 1), snapshotJ, Append("j", 2, 1), new AppendRecords("other-type", "k", 1, Records(1, 1)), expiryK, Append("k", 5, 1)],
            result,
            OperationComparer.Instance);
    }

    [Fact]
    public void A_commit_like_the_last_allocates_only_its_result()
    {
        // 400 streams written once each, as XADD -P 16 to a thousand keys commits them.
        var batch = Enumerable.Range(0, 400).Select(i => (StorageOperation)Append($"k{i}", 1, 1)).ToList();
        var coalescer = new OperationBatch();
        coalescer.Coalesce(batch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = coalescer.Coalesce(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The list of 400 references, and no more than a few objects besides.
        Assert.Equal(batch, result);
        Assert.True(allocated < (400 * IntPtr.Size) + 512, $"{allocated} bytes allocated");
    }

    [Fact]
    public async Task A_coalesced_batch_stores_what_the_batch_does()
    {
        // Random realistic batches (each grain's versions consecutive, snapshots at the grain's
        // version, deletes restarting at 1), applied as they are and coalesced, to two memory stores.
        var random = new Random(20261122);
        var coalescer = new OperationBatch();
        (string Type, string Key)[] grains = [("t", "a"), ("t", "b"), ("t", "c"), ("u", "a")];
        for (var round = 0; round < 300; round++)
        {
            var plain = new MemoryGrainStorage();
            var coalesced = new MemoryGrainStorage();
            var versions = grains.ToDictionary(g => g, _ => 0L);
            for (var batchNumber = 0; batchNumber < 3; batchNumber++)
            {
                var batch = new List<StorageOperation>();
                for (var i = random.Next(1, 25); i > 0; i--)
                {
                    var grain = grains[random.Next(grains.Length)];
                    var (type, key) = grain;
                    StorageOperation operation = random.Next(10) switch
                    {
                        < 7 => new AppendRecords(type, key, versions[grain] + 1, Records(versions[grain] + 1, random.Next(1, 4))),
                        7 => new WriteSnapshot(type, key, versions[grain], Records(versions[grain], 1), random.Next(-1, 100)),
                        8 => new SetExpiry(type, key, random.Next(-1, 100)),
                        _ => new DeleteGrain(type, key),
                    };
                    versions[grain] = operation switch
                    {
                        AppendRecords append => append.FirstVersion + (append.Records.Length / sizeof(long)) - 1,
                        DeleteGrain => 0,
                        _ => versions[grain],
                    };
                    batch.Add(operation);
                }

                await plain.CommitAsync(batch, CancellationToken.None);
                await coalesced.CommitAsync(coalescer.Coalesce(batch), CancellationToken.None);
            }

            foreach (var (type, key) in grains)
            {
                var expected = await plain.ReadAsync(type, key, CancellationToken.None);
                var actual = await coalesced.ReadAsync(type, key, CancellationToken.None);
                Assert.Equal(Summary(expected), Summary(actual));
            }
        }

        static string Summary(StoredGrain? grain) =>
            grain is null ? "absent" : $"{Describe(grain with { Journal = [] })} versions={string.Join(',', Versions(grain))}";
    }

    [Theory]
    [InlineData("616263", "616264")]
    [InlineData("00", "01")]
    [InlineData("61fe", "61ff")]
    [InlineData("61ff", "62")]
    [InlineData("61ffff", "62")]
    [InlineData("3a00ff", "3a01")]
    [InlineData("fe", "ff")]
    [InlineData("feff", "ff")]
    public void PrefixEnd_increments_the_last_byte_below_0xff_and_drops_the_rest(string prefix, string end)
    {
        var bytes = Convert.FromHexString(prefix);
        Assert.Equal(end, Convert.ToHexString(OperationBatch.PrefixEnd(bytes)!).ToLowerInvariant());
        Assert.Equal(prefix, Convert.ToHexString(bytes).ToLowerInvariant());
    }

    [Theory]
    [InlineData("616263")]
    [InlineData("61ff")]
    [InlineData("3a00ff")]
    [InlineData("31ffffffffff")]
    [InlineData("00")]
    public void PrefixEnd_is_above_every_key_with_the_prefix_and_at_most_the_next_key_without(string prefix) =>
        AssertBounds(Convert.FromHexString(prefix));

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("ffff")]
    public void PrefixEnd_of_an_empty_or_all_0xff_prefix_bounds_every_key_with_it(string prefix) =>
        AssertBounds(Convert.FromHexString(prefix));

    private static AppendRecords Append(string key, long first, int count) => new("t", key, first, Records(first, count));

    // Every key starting with the prefix (it plus any suffix tried) is below the end; the first key
    // above them all that does not start with it is not.
    private static void AssertBounds(byte[] prefix)
    {
        var end = OperationBatch.PrefixEnd(prefix);
        if (end is null)
        {
            // No upper bound: only right when no byte string is above every key with the prefix.
            Assert.All(prefix, b => Assert.Equal(0xff, b));
            return;
        }

        byte[][] suffixes = [[], [0], [0xff], [0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x80, 0x7f]];
        foreach (var suffix in suffixes)
        {
            byte[] key = [.. prefix, .. suffix];
            Assert.True(Compare(key, end) < 0, $"{Convert.ToHexString(key)} is not below {Convert.ToHexString(end)}");
        }

        var next = NextWithoutPrefix(prefix);
        if (next is not null)
        {
            Assert.True(Compare(end, next) <= 0, $"{Convert.ToHexString(end)} is above {Convert.ToHexString(next)}");
        }
    }

    // The smallest key above every key with the prefix: the prefix up to its last byte below 0xff, that byte plus one.
    private static byte[]? NextWithoutPrefix(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xff)
            {
                return [.. prefix[..i], (byte)(prefix[i] + 1)];
            }
        }

        return null;
    }

    private static int Compare(byte[] left, byte[] right) => left.AsSpan().SequenceCompareTo(right);

    // Operations compared by value, byte arrays by content.
    private sealed class OperationComparer : IEqualityComparer<StorageOperation>
    {
        public static readonly OperationComparer Instance = new();

        public bool Equals(StorageOperation? x, StorageOperation? y) => Text(x) == Text(y);

        public int GetHashCode(StorageOperation obj) => Text(obj).GetHashCode(StringComparison.Ordinal);

        private static string Text(StorageOperation? operation) => operation switch
        {
            AppendRecords a => $"append {a.GrainType}/{a.GrainKey} {a.FirstVersion} {Convert.ToHexString(a.Records)}",
            WriteSnapshot s => $"snapshot {s.GrainType}/{s.GrainKey} {s.Version} {Convert.ToHexString(s.Snapshot)} {s.ExpiresAtMs}",
            _ => operation?.ToString() ?? "null",
        };
    }
}
