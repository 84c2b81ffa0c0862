using Platform.EndToEnd.Tests.Infrastructure;
using static Platform.EndToEnd.Tests.Streams.SessionCase;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>
/// Blocking reads, against redis-server on several connections: XREAD and XREADGROUP BLOCK served
/// by a later XADD, the timeout's null, first come first served among blocked consumers, BLOCK
/// inside MULTI, UNBLOCKED and NOGROUP when the key or the group goes away, and a blocked client
/// that disconnects or is killed leaving no waiter behind (INFO's blocked_clients).
/// </summary>
public sealed class StreamBlockingTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private static readonly Func<string, string> Blocked = t => SessionRunner.BlockedClients(StreamMasks.Volatile(t));

    public static readonly SessionCase[] Cases =
    [
        new("XREAD BLOCK served by XADD", [
            On('B', "XADD s1 1 a 1"),
            Blocks('A', "XREAD BLOCK 0 STREAMS s1 s2 $ $"),
            On('B', "XADD s2 5 b 2"),
            On('A', "XREAD STREAMS s1 s2 0 0")]),
        new("XREAD BLOCK longer than a timer takes", [
            Blocks('A', "XREAD BLOCK 5000000000 STREAMS s $"),
            Blocks('C', "XREAD BLOCK 9223372036854775807 STREAMS s $"),
            On('B', "XADD s 1 a 1")]),
        new("XREAD BLOCK on missing keys", [
            Blocks('A', "XREAD BLOCK 0 STREAMS s1 s2 $ $"),
            On('B', "XADD s1 7 f v; XADD s1 8 f v")]),
        new("XREAD BLOCK with id served", [
            On('B', "XADD s 1 a 1"),
            Blocks('A', "XREAD COUNT 1 BLOCK 0 STREAMS s 1"),
            On('B', "XADD s 2 a 2")]),
        new("XREAD BLOCK ignores other keys and older ids", [
            On('B', "XADD s 5 a 1"),
            Blocks('A', "XREAD BLOCK 0 STREAMS s 10"),
            On('B', "XADD t 1 a 1; XADD s 6 a 1"),
            On('B', "XADD s 11 a 1")]),
        new("XREAD BLOCK timeout", [
            On('A', "XREAD BLOCK 100 STREAMS s $"),
            On('A', "XADD s 1 a 1; XREAD BLOCK 100 STREAMS s $; XREAD BLOCK 100 STREAMS s 0")]),
        new("XREADGROUP BLOCK timeout", [
            On('A', "XGROUP CREATE s g $ MKSTREAM; XREADGROUP GROUP g c BLOCK 100 STREAMS s >"),
            On('A', "XREADGROUP GROUP g c BLOCK 100 STREAMS s 0")]),
        new("XREAD BLOCK served by a transaction's XADDs", [
            On('B', "XADD s 1 a 1"),
            Blocks('A', "XREAD BLOCK 0 STREAMS s $"),
            On('B', "MULTI; XADD s 2 a 2; XADD s 3 a 3; EXEC")]),
        new("XREAD BLOCK several readers all served", [
            Blocks('A', "XREAD BLOCK 0 STREAMS s $"),
            Blocks('B', "XREAD BLOCK 0 STREAMS s $"),
            On('C', "XADD s 1 a 1")]),
        new("XREADGROUP BLOCK first come first served", [
            On('D', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c1 BLOCK 0 STREAMS s >"),
            Blocks('B', "XREADGROUP GROUP g c2 BLOCK 0 STREAMS s >"),
            Blocks('C', "XREADGROUP GROUP g c3 BLOCK 0 STREAMS s >"),
            On('D', "XADD s 1 a 1"),
            On('D', "XADD s 2 a 2"),
            On('D', "XADD s 3 a 3; XPENDING s g - + 10")]),
        new("XREADGROUP BLOCK one XADD of several entries in a transaction", [
            On('D', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c1 BLOCK 0 STREAMS s >"),
            Blocks('B', "XREADGROUP GROUP g c2 BLOCK 0 STREAMS s >"),
            On('D', "MULTI; XADD s 1 a 1; XADD s 2 a 2; EXEC"),
            On('D', "XPENDING s g")]),
        new("XREADGROUP BLOCK COUNT and NOACK", [
            On('D', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c1 COUNT 1 NOACK BLOCK 0 STREAMS s >"),
            On('D', "XADD s 1 a 1; XPENDING s g")]),
        new("XREADGROUP BLOCK two groups both served", [
            On('D', "XGROUP CREATE s g $ MKSTREAM; XGROUP CREATE s h $"),
            Blocks('A', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            Blocks('B', "XREADGROUP GROUP h c BLOCK 0 STREAMS s >"),
            On('D', "XADD s 1 a 1")]),
        new("BLOCK inside MULTI answers at once", [
            On('A', "XGROUP CREATE s g $ MKSTREAM; MULTI; XREAD BLOCK 0 STREAMS s $; XREADGROUP GROUP g c BLOCK 0 STREAMS s >; XREAD BLOCK 1000 STREAMS s 0; EXEC")]),
        new("XREADGROUP blocked, key deleted: UNBLOCKED", [
            On('B', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            On('B', "DEL s"),
            On('A', "EXISTS s")]),
        new("XREAD blocked, key deleted then added", [
            On('B', "XADD s 1 a 1"),
            Blocks('A', "XREAD BLOCK 0 STREAMS s $"),
            On('B', "DEL s"),
            On('B', "XADD s 1 a 1")]),
        new("XREADGROUP blocked, group destroyed: NOGROUP", [
            On('B', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            On('B', "XGROUP DESTROY s g")]),
        new("XREADGROUP blocked, key renamed", [
            On('B', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            On('B', "RENAME s t"),
            On('B', "XADD t 1 a 1")]),
        new("XREADGROUP blocked, key flushed", [
            On('B', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            On('B', "FLUSHALL")]),
        new("blocked client disconnects", [
            On('B', "XADD s 1 a 1"),
            Blocks('A', "XREAD BLOCK 0 STREAMS s $"),
            Blocks('C', "XREADGROUP GROUP nog c BLOCK 0 STREAMS s >"),
            On('B', "INFO clients"),
            Close('A'),
            Pause(300),
            On('B', "INFO clients; XADD s 2 a 1; INFO clients")], Blocked),
        new("blocked client killed", [
            On('B', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            On('B', "INFO clients"),
            On('B', "CLIENT KILL ID {id:A}"),
            Pause(300),
            On('B', "INFO clients; XADD s 1 a 1; XPENDING s g")], Blocked),
        new("blocked_clients counts waiters", [
            On('C', "XGROUP CREATE s g $ MKSTREAM"),
            Blocks('A', "XREAD BLOCK 0 STREAMS s $"),
            Blocks('B', "XREADGROUP GROUP g c BLOCK 0 STREAMS s >"),
            On('C', "INFO clients"),
            On('C', "XADD s 1 a 1"),
            On('C', "INFO clients")], Blocked),
    ];

    private static readonly Dictionary<string, SessionCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => SessionCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Blocking_reads_behave_as_redis_s(string name, int protocol) => SessionRunner.RunAsync(fixture, ByName[name], protocol);

    /// <summary>
    /// Under load: a producer pipelines XADDs (8 per write) while a consumer loops XREADGROUP ... BLOCK 100
    /// and XACK. Every XADD must be answered (Redis too, to show the test is right), every entry
    /// delivered once and acknowledged.
    /// </summary>
    [Theory]
    [InlineData("ours", "no")]
    [InlineData("ours", "always")]
    [InlineData("redis", "no")]
    public Task Pipelined_XADDs_beside_blocked_consumers_are_all_answered(string server, string appendfsync) => fixture.RunAsync(async () =>
    {
        var process = server == "ours" ? fixture.Ours : fixture.Redis;
        var key = $"load-{server}";
        await using var producer = await process.ConnectAsync();
        var fsyncBefore = RespValue.Parse(await producer.CallAsync("CONFIG", "GET", "appendfsync")).Array[1].Str;
        await producer.CallAsync("CONFIG", "SET", "appendfsync", appendfsync);
        await producer.CallAsync("DEL", key);
        await producer.CallAsync("XGROUP", "CREATE", key, "g", "$", "MKSTREAM");
        using var stop = new CancellationTokenSource();
        long delivered = 0;
        var consumers = Enumerable.Range(0, 1).Select(i => Task.Run(async () =>
        {
            await using var consumer = await process.ConnectAsync();
            while (!stop.IsCancellationRequested)
            {
                var reply = RespValue.Parse(await consumer.CallAsync("XREADGROUP", "GROUP", "g", $"c{i}", "COUNT", "100", "BLOCK", "100", "STREAMS", key, ">"));
                if (reply.IsNull)
                {
                    continue;
                }

                var ids = reply.Array[0].Array[1].Array.Select(e => e.Array[0].Str).ToArray();
                Interlocked.Add(ref delivered, ids.Length);
                await consumer.CallAsync(["XACK", key, "g", .. ids]);
            }
        })).ToList();

        var sent = 0;
        var answered = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(appendfsync == "no" ? 10 : 4))
            {
                await producer.SendAsync(string.Concat(Enumerable.Range(0, 8).Select(i => Resp.CommandText("XADD", key, "*", "n", (sent + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
                sent += 8;
                for (var i = 0; i < 8; i++)
                {
                    var reply = await producer.ReadReplyAsync(TimeSpan.FromSeconds(5));
                    Assert.True(reply[0] == (byte)'$', $"XADD answered {RespFrame.Escape(reply)}");
                    answered++;
                }
            }
        }
        catch (TimeoutException)
        {
            await using var check = await process.ConnectAsync();
            var length = RespFrame.Render(await check.CallAsync("XLEN", key));
            Assert.Fail($"{server} (appendfsync {appendfsync}): {sent} XADDs sent in writes of 8, {answered} answered, then none for 5 s; XLEN {length}");
        }
        finally
        {
            // Let the consumers read what is left, then stop them.
            var drain = System.Diagnostics.Stopwatch.StartNew();
            while (Interlocked.Read(ref delivered) < sent && drain.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            await stop.CancelAsync();
            await Task.WhenAll(consumers);
            await using var restore = await process.ConnectAsync();
            await restore.CallAsync("CONFIG", "SET", "appendfsync", fsyncBefore);
        }

        await using var last = await process.ConnectAsync();
        Assert.Equal($":{sent}", RespFrame.Render(await last.CallAsync("XLEN", key)));
        Assert.Equal(0, RespValue.Parse(await last.CallAsync("XPENDING", key, "g")).Array[0].Int);
        Assert.Equal(sent, Interlocked.Read(ref delivered));
        await last.CallAsync("DEL", key);
    });
}
