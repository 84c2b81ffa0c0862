using System.Buffers.Binary;
using Platform.Grains.Streams;
using Platform.Grains.Streams.Dump;

namespace Platform.Grains.Tests.Streams;

/// <summary>
/// RESTORE's payloads that lie about their sizes, with a checksum that holds: each is refused as
/// "Bad data format" at once, without allocating what it claims (a client could otherwise make the
/// server allocate gigabytes with a few bytes).
/// </summary>
public sealed class RedisDumpTests
{
    [Theory]
    [InlineData(1L << 28)]
    [InlineData(int.MaxValue + 1L)]
    [InlineData(-1L)]
    public void An_entry_claiming_more_fields_than_its_bytes_is_refused(long fields)
    {
        var listpack = new ListpackWriter();
        listpack.Add(1);
        listpack.Add(0);
        listpack.Add(1);
        listpack.Add("f"u8);
        listpack.Add(0);
        listpack.Add(0);
        listpack.Add(0);
        listpack.Add(0);
        listpack.Add(fields);
        AssertRefused(Payload(node => node.WriteString(listpack.ToArray())));
    }

    [Fact]
    public void A_node_claiming_more_master_fields_than_its_bytes_is_refused()
    {
        var listpack = new ListpackWriter();
        listpack.Add(1);
        listpack.Add(0);
        listpack.Add(1L << 30);
        AssertRefused(Payload(node => node.WriteString(listpack.ToArray())));
    }

    [Fact]
    public void A_compressed_string_claiming_gigabytes_is_refused()
    {
        AssertRefused(Payload(node =>
        {
            node.WriteByte(0xc3);
            node.WriteLength(2);
            node.WriteLength(0x7fffffc0);
            node.WriteRaw([0x00, 0x61]);
        }));
    }

    private static void AssertRefused(byte[] payload)
    {
        Assert.True(RedisDump.IsIntact(payload));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(RedisDump.Read(payload));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20, "the payload made its reader allocate what it claimed");
    }

    // A stream of one node (written by writeNode), RDB version 10, and a CRC that holds.
    private static byte[] Payload(Action<RdbWriter> writeNode)
    {
        var payload = new RdbWriter();
        payload.WriteByte(19);
        payload.WriteLength(1);
        var key = new RdbWriter();
        key.WriteRawId(new StreamId(1, 1));
        payload.WriteString(key.Written);
        writeNode(payload);
        payload.WriteRaw([10, 0]);
        var crc = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(crc, Crc64.Compute(payload.Written));
        payload.WriteRaw(crc);
        return payload.Written.ToArray();
    }
}
