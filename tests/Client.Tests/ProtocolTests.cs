using System.Buffers;
using System.IO.Pipelines;
using Platform.Client.Connections;
using Platform.Client.Protocol;
using Platform.Client.Streams;

namespace Platform.Client.Tests;

/// <summary>The pure parts: frame scanning, reading, encoding, IDs; no server.</summary>
public sealed class ProtocolTests
{
    private static readonly string[] Frames =
    [
        "+OK\r\n",
        "-ERR bad\r\n",
        ":-42\r\n",
        "$5\r\nhello\r\n",
        "$-1\r\n",
        "$0\r\n\r\n",
        "*-1\r\n",
        "*0\r\n",
        "*3\r\n$3\r\nfoo\r\n:1\r\n*2\r\n+a\r\n$-1\r\n",
        "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n*1\r\n,1.5\r\n",
        "~2\r\n:1\r\n:2\r\n",
        ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\n\r\n\r\n\r\n",
        "_\r\n",
        "#t\r\n",
        "(12345678901234567890\r\n",
        "=8\r\ntxt:abcd\r\n",
        "!3\r\nERR\r\n",
        "|1\r\n+ttl\r\n:3\r\n$2\r\nok\r\n",
    ];

    [Fact]
    public void The_scanner_finds_each_frame_whole_however_it_is_split()
    {
        var all = Encoding.ASCII.GetBytes(string.Concat(Frames));
        for (var split = 0; split <= all.Length; split++)
        {
            var scanner = default(FrameScanner);
            var lengths = new List<long>();
            var offset = 0;
            var available = split;
            while (offset < all.Length)
            {
                var buffer = Segmented(all.AsMemory(offset, available - offset), 3);
                if (scanner.TryScan(buffer, out var length))
                {
                    lengths.Add(length);
                    offset += (int)length;
                    available = Math.Max(available, offset);
                }
                else
                {
                    Assert.True(available < all.Length, $"split {split}: stuck at {offset}");
                    available = all.Length;
                }
            }

            Assert.Equal(Frames.Select(f => (long)f.Length), lengths);
        }
    }

    [Fact]
    public void The_scanner_rejects_an_unknown_type()
    {
        var scanner = default(FrameScanner);
        Assert.Throws<PlatformProtocolException>(() => scanner.TryScan(new ReadOnlySequence<byte>("?x\r\n"u8.ToArray()), out _));
    }

    [Fact]
    public void The_reader_reads_every_type()
    {
        var value = Read("*3\r\n$3\r\nfoo\r\n:1\r\n*2\r\n+a\r\n$-1\r\n");
        Assert.Equal("[foo, 1, [a, (nil)]]", value.ToString());
        Assert.Equal(RespValueKind.Map, Read("%1\r\n$1\r\na\r\n,1.5\r\n").Kind);
        Assert.Equal(1.5, Read("%1\r\n$1\r\na\r\n,1.5\r\n").Items[1].AsDouble());
        Assert.True(Read("_\r\n").IsNull);
        Assert.Equal(1, Read("#t\r\n").AsInt64());
        Assert.Equal("abcd", Read("=8\r\ntxt:abcd\r\n").ToString());
        Assert.Equal("ok", Read("|1\r\n+ttl\r\n:3\r\n$2\r\nok\r\n").ToString());
        Assert.Equal(RespValueKind.Push, Read(">1\r\n:1\r\n").Kind);
        Assert.Equal(RespValueKind.Set, Read("~1\r\n:1\r\n").Kind);
    }

    [Fact]
    public void Maps_read_alike_in_resp2_and_resp3()
    {
        foreach (var frame in new[] { "%2\r\n$4\r\nname\r\n$1\r\ng\r\n$7\r\npending\r\n:3\r\n", "*4\r\n$4\r\nname\r\n$1\r\ng\r\n$7\r\npending\r\n:3\r\n" })
        {
            var reader = new RespReader(Encoding.ASCII.GetBytes("*1\r\n" + frame));
            var groups = StreamParsers.Groups(ref reader);
            Assert.Equal("g", groups[0].Name);
            Assert.Equal(3, groups[0].Pending);
        }
    }

    [Fact]
    public void Read_results_read_alike_in_resp2_and_resp3()
    {
        const string Entries = "*1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n";
        foreach (var frame in new[] { "%1\r\n$1\r\ns\r\n" + Entries, "*1\r\n*2\r\n$1\r\ns\r\n" + Entries })
        {
            var reader = new RespReader(Encoding.ASCII.GetBytes(frame));
            var result = Assert.Single(StreamParsers.ReadResults(ref reader));
            Assert.Equal("s", result.Stream);
            Assert.Equal(new StreamId(1, 2), result.Entries[0].Id);
            Assert.Equal("v", result.Entries[0].GetString("f"));
        }

        var nullReply = new RespReader("*-1\r\n"u8);
        Assert.Empty(StreamParsers.ReadResults(ref nullReply));
        var nullResp3 = new RespReader("_\r\n"u8);
        Assert.Empty(StreamParsers.ReadResults(ref nullResp3));
    }

    [Fact]
    public async Task The_builder_encodes_a_multibulk_request()
    {
        var builder = CommandBuilder.Rent("XADD").Add("s").Add(-12).Add(new StreamId(5, 7)).Add("é"u8);
        var pipe = new Pipe();
        builder.WriteTo(pipe.Writer);
        Assert.Equal(builder.EncodedLength, (int)pipe.Writer.UnflushedBytes);
        builder.Return();
        await pipe.Writer.FlushAsync();
        pipe.Reader.TryRead(out var result);
        Assert.Equal("*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n-12\r\n$3\r\n5-7\r\n$2\r\né\r\n", Encoding.UTF8.GetString(result.Buffer.ToArray()));
    }

    [Fact]
    public void The_builder_grows_for_large_arguments()
    {
        var big = new string('x', 100_000);
        var builder = CommandBuilder.Rent("SET").Add("k").Add(big);
        Assert.Equal(3, builder.Count);
        Assert.Contains(big, builder.ToString(), StringComparison.Ordinal);
        builder.Return();
    }

    [Fact]
    public void Stream_ids_parse_format_and_order()
    {
        Assert.Equal(new StreamId(1526919030474, 55), StreamId.Parse("1526919030474-55"));
        Assert.Equal(new StreamId(7, 0), StreamId.Parse("7"));
        Assert.False(StreamId.TryParse("7-", out _));
        Assert.False(StreamId.TryParse("a-1", out _));
        Assert.True(StreamId.TryParse("18446744073709551615-18446744073709551615"u8, out var max));
        Assert.Equal(StreamId.MaxValue, max);
        Assert.Equal("3-4", new StreamId(3, 4).ToString());
        Assert.True(new StreamId(1, 9) < new StreamId(2, 0));
        Assert.True(new StreamId(2, 1) > new StreamId(2, 0));
        Assert.Equal(new StreamId(2, 1), new StreamId(2, 0).Next());
        Assert.Equal(new StreamId(3, 0), new StreamId(2, ulong.MaxValue).Next());
        Assert.Equal("(1-2", StreamBound.Exclusive(new StreamId(1, 2)).ToString());
        Assert.Equal("-", StreamBound.Minimum.ToString());
        Assert.Equal("$", StreamPosition.NewEntries.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1:7000")]
    [InlineData("localhost", "localhost:6379")]
    [InlineData("[::1]:7001", "::1:7001")]
    [InlineData("cache.internal:6380", "cache.internal:6380")]
    public void Endpoints_parse(string text, string expected) => Assert.Equal(expected, ServerEndPoint.Parse(text).ToString());

    [Fact]
    public void Invalid_endpoints_are_refused() => Assert.Throws<FormatException>(() => ServerEndPoint.Parse("host:notaport"));

    private static RespValue Read(string frame)
    {
        var reader = new RespReader(Encoding.ASCII.GetBytes(frame));
        return reader.ReadValue();
    }

    // The bytes as a sequence of segments of at most <paramref name="size"/> bytes.
    private static ReadOnlySequence<byte> Segmented(ReadOnlyMemory<byte> data, int size)
    {
        if (data.Length <= size)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segment(data[..size], 0);
        var last = first;
        for (var at = size; at < data.Length; at += size)
        {
            last = last.Append(data[at..Math.Min(at + size, data.Length)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
