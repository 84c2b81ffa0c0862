using System.Text;
using Platform.Grains.Serialization;
using Platform.Grains.Streams;
using Platform.Grains.Streams.Storage;

namespace Platform.Grains.Tests.Streams;

/// <summary>How a stream's entries are laid out in blocks: what appending them allocates, and that they read back as written.</summary>
public sealed class StreamLogTests
{
    /// <summary>
    /// Five fields of about a hundred bytes in all, as bench/streams.py's memory case writes: the
    /// entries of a busy stream are much alike.
    /// </summary>
    private static ReadOnlyMemory<byte>[] Entry(int n, int valueBytes = 12) =>
    [
        .. Enumerable.Range(0, 5).SelectMany(field => new ReadOnlyMemory<byte>[]
        {
            Encoding.ASCII.GetBytes($"field{field}"),
            Encoding.ASCII.GetBytes($"{n}".PadLeft(valueBytes, 'v')),
        }),
    ];

    [Fact]
    public void Blocks_after_a_stream_s_first_are_allocated_about_once_each()
    {
        var log = new StreamLog();
        var entries = Enumerable.Range(1, 5000).Select(n => Entry(n)).ToArray();
        log.Append(new StreamId(1, 0), entries[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < entries.Length; i++)
        {
            log.Append(new StreamId(1, (ulong)i), entries[i]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Growing each block from 64 bytes by doubling, then cutting it to size, allocated five times its bytes.
        Assert.True(log.BlockCount > 50, $"{log.BlockCount} blocks");
        Assert.True(allocated < log.Bytes * 3 / 2, $"{allocated} bytes allocated for {log.Bytes} bytes of blocks");
    }

    [Fact]
    public void Blocks_started_from_their_predecessor_s_size_hold_at_most_a_16th_more_than_their_entries()
    {
        var log = new StreamLog();
        for (var i = 0; i < 5000; i++)
        {
            log.Append(new StreamId(1, (ulong)i), Entry(i));
        }

        // The stored form holds each block's entries as they are in memory, and a few header bytes.
        var stored = new ByteWriter();
        log.WriteTo(stored);
        var entryBytes = stored.ToArray().Length;
        Assert.True(log.Bytes <= entryBytes * 17 / 16, $"{log.Bytes} bytes held for {entryBytes} bytes stored");
    }

    [Fact]
    public void A_block_after_one_huge_entry_starts_no_bigger_than_two_full_blocks()
    {
        var log = new StreamLog();
        log.Append(new StreamId(1, 0), [Encoding.ASCII.GetBytes("f"), new byte[1 << 20]]);
        var huge = log.Bytes;
        Assert.True(huge > 1 << 20, $"{huge} bytes");

        log.Append(new StreamId(1, 1), Entry(1));
        Assert.Equal(2, log.BlockCount);
        Assert.True(log.Bytes - huge <= 2 * EntryBlock.MaxBytes, $"{log.Bytes - huge} bytes more");
    }

    [Theory]
    [InlineData(12, 12)]
    [InlineData(12, 200)]
    [InlineData(200, 12)]
    public void Entries_read_back_as_written_when_their_size_changes_from_block_to_block(int firstBytes, int laterBytes)
    {
        var log = new StreamLog();
        var written = new List<(StreamId Id, ReadOnlyMemory<byte>[] Fields)>();
        for (var i = 0; i < 1000; i++)
        {
            var id = new StreamId(1 + ((ulong)i / 7), (ulong)i % 7);
            var fields = Entry(i, i < 300 ? firstBytes : laterBytes);
            log.Append(id, fields);
            written.Add((id, fields));
        }

        var read = new StreamEntries();
        Assert.Equal(1000, log.Range(StreamId.Min, StreamId.Max, long.MaxValue, reverse: false, read));
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i].Id, read.Id(i));
            Assert.Equal(5, read.FieldCount(i));
            for (var f = 0; f < 5; f++)
            {
                Assert.Equal(written[i].Fields[f * 2].ToArray(), read.Name(i, f).ToArray());
                Assert.Equal(written[i].Fields[(f * 2) + 1].ToArray(), read.Value(i, f).ToArray());
            }
        }
    }
}
