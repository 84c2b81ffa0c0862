using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests;

/// <summary>Pipelining: many commands in one write, replies in order, and commands arriving in pieces.</summary>
public sealed class PipeliningTests(OurServerFixture fixture) : IClassFixture<OurServerFixture>
{
    [Theory]
    [InlineData("*1\r\n$4\r\nPING\r\n")]
    [InlineData("PING\r\n")]
    public Task Ten_thousand_pings_in_one_write_get_ten_thousand_pongs(string ping) => fixture.RunAsync(async () =>
    {
        const int count = 10_000;
        await using var connection = await fixture.Ours.ConnectAsync();
        await connection.SendAsync(string.Concat(Enumerable.Repeat(ping, count)));
        for (var i = 0; i < count; i++)
        {
            var reply = await connection.ReadReplyAsync();
            Assert.True(reply.AsSpan().SequenceEqual("+PONG\r\n"u8), $"reply {i}: \"{RespFrame.Escape(reply)}\"");
        }

        // Nothing more than the 10,000 replies: the next reply is the next command's.
        Assert.Equal("$4\r\nlast\r\n", Encoding.Latin1.GetString(await connection.CallAsync("ECHO", "last")));
    });

    [Fact]
    public Task Replies_to_a_mixed_pipeline_arrive_in_order() => fixture.RunAsync(async () =>
    {
        var request = new StringBuilder();
        var expected = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            switch (i % 6)
            {
                case 0:
                    request.Append(Resp.CommandText("ECHO", "e" + text));
                    expected.Add($"${text.Length + 1}\r\ne{text}\r\n");
                    break;
                case 1:
                    request.Append("PING\r\n");
                    expected.Add("+PONG\r\n");
                    break;
                case 2:
                    request.Append(Resp.CommandText("CLIENT", "SETNAME", "n" + text));
                    expected.Add("+OK\r\n");
                    break;
                case 3:
                    request.Append(Resp.CommandText("CLIENT", "GETNAME"));
                    var name = "n" + (i - 1).ToString(CultureInfo.InvariantCulture);
                    expected.Add($"${name.Length}\r\n{name}\r\n");
                    break;
                case 4:
                    request.Append(Resp.CommandText("SELECT", (i % 16).ToString(CultureInfo.InvariantCulture)));
                    expected.Add("+OK\r\n");
                    break;
                default:
                    request.Append(Resp.CommandText("PING", new string('p', i % 300)));
                    expected.Add($"${i % 300}\r\n{new string('p', i % 300)}\r\n");
                    break;
            }
        }

        await using var connection = await fixture.Ours.ConnectAsync();
        await connection.SendAsync(request.ToString());
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], Encoding.Latin1.GetString(await connection.ReadReplyAsync()));
        }
    });

    [Theory]
    [InlineData("*3\r\n$4\r\nECHO\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$4\r\nECHO\r\n$6\r\nsplit!\r\n", "$6\r\nsplit!\r\n")]
    [InlineData("", "ECHO \"split\\x21\"\r\n", "$6\r\nsplit!\r\n")]
    [InlineData("", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "$0\r\n\r\n")]
    public Task A_command_written_one_byte_at_a_time_is_answered_once(string before, string command, string reply) => fixture.RunAsync(async () =>
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        var expectedBefore = before.Length == 0 ? "" : "-ERR wrong number of arguments for 'echo' command\r\n";
        foreach (var b in Encoding.Latin1.GetBytes(before + command))
        {
            await connection.SendAsync(new[] { b });
            await Task.Delay(1);
        }

        if (expectedBefore.Length > 0)
        {
            Assert.Equal(expectedBefore, Encoding.Latin1.GetString(await connection.ReadReplyAsync()));
        }

        Assert.Equal(reply, Encoding.Latin1.GetString(await connection.ReadReplyAsync()));
        Assert.Equal("+PONG\r\n", Encoding.Latin1.GetString(await connection.CallAsync("PING")));
    });

    [Fact]
    public Task A_pipeline_written_in_small_random_pieces_is_answered_in_order() => fixture.RunAsync(async () =>
    {
        var random = new Random(7);
        var request = new List<byte>();
        var expected = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var payload = new string((char)('a' + (i % 26)), random.Next(0, 5000));
            request.AddRange(Resp.Command("ECHO", payload));
            expected.Add($"${payload.Length}\r\n{payload}\r\n");
        }

        await using var connection = await fixture.Ours.ConnectAsync();
        var bytes = request.ToArray();
        for (var offset = 0; offset < bytes.Length;)
        {
            var size = Math.Min(bytes.Length - offset, random.Next(1, 3000));
            await connection.SendAsync(bytes.AsMemory(offset, size));
            offset += size;
        }

        foreach (var reply in expected)
        {
            Assert.Equal(reply, Encoding.Latin1.GetString(await connection.ReadReplyAsync()));
        }
    });

    [Fact]
    public Task Pipelined_replies_before_a_protocol_error_are_all_sent() => fixture.RunAsync(async () =>
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        await connection.SendAsync(string.Concat(Enumerable.Repeat("PING\r\n", 5000)) + "*x\r\nPING\r\n");
        var (data, closed) = await connection.ReadUntilClosedAsync();
        Assert.True(closed, "the connection stays open after a protocol error");
        Assert.Equal(
            string.Concat(Enumerable.Repeat("+PONG\r\n", 5000)) + "-ERR Protocol error: invalid multibulk length\r\n",
            Encoding.Latin1.GetString(data));
    });
}
