using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// kill -9 in the middle of a load under appendfsync always: several connections pipeline XADDs
/// (each to its own stream and to a shared one) while a consumer reads the shared stream through a
/// group and acknowledges. After the restart every XADD that got a reply is there, in order, with
/// its ID and fields; every acknowledgement that got a reply holds; every delivery that got a reply
/// is pending or acknowledged, never handed out again as new.
/// </summary>
public sealed class CrashTests(StorageProviders providers) : IClassFixture<StorageProviders>
{
    private const int Writers = 4;
    private const int Pipeline = 16;

    [Theory]
    [MemberData(nameof(StorageProviders.All), MemberType = typeof(StorageProviders))]
    public async Task Every_replied_write_survives_kill_9_under_always(string provider)
    {
        await using var ours = await providers.CreateServerAsync(provider);
        await ours.StartAsync();
        await RestartTests.RunAsync(ours, null, async () =>
        {
            await using (var setup = await ours.ConnectAsync())
            {
                Assert.Equal("+OK\r\n", Encoding.ASCII.GetString(await setup.CallAsync("XGROUP", "CREATE", "shared", "g", "$", "MKSTREAM")));
            }

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => WriteAsync(ours, w, stop.Token)).ToArray();
            var consumer = ConsumeAsync(ours, stop.Token);

            // Let the load run until a good number of writes and acknowledgements are in.
            await WaitUntilAsync(() => writers.Sum(w => w.Progress.Count) >= 2000 && consumer.Acked.Count >= 100, TimeSpan.FromSeconds(60));
            await ours.StopAsync(graceful: false);
            await stop.CancelAsync();
            await Task.WhenAll(writers.Select(w => w.Done).Append(consumer.Done));

            await ours.StartAsync();
            await using var check = await ours.ConnectAsync();
            var shared = await RangeAsync(check, "shared");
            foreach (var writer in writers)
            {
                // Its own stream: exactly the replied entries first, in order (later ones may have
                // been committed without their reply arriving).
                var own = await RangeAsync(check, $"own:{writer.Id}");
                var replied = writer.Progress.Where(p => p.Stream == "own").Select(p => (p.Id, p.Sequence)).ToList();
                Assert.True(own.Count >= replied.Count, $"writer {writer.Id}: {own.Count} entries stored, {replied.Count} replied");
                Assert.Equal(replied, own.Take(replied.Count).Select(e => (e.Id, e.Fields["n"])).ToList());

                // The shared stream: its replied entries appear in the same order.
                var mine = shared.Where(e => e.Fields["w"] == writer.Id.ToString(CultureInfo.InvariantCulture)).Select(e => (e.Id, e.Fields["n"])).ToList();
                var repliedShared = writer.Progress.Where(p => p.Stream == "shared").Select(p => (p.Id, p.Sequence)).ToList();
                Assert.Equal(repliedShared, mine.Take(repliedShared.Count).ToList());
            }

            var pending = RespValue.Parse(await check.CallAsync("XPENDING", "shared", "g", "-", "+", "1000000")).Array
                .Select(row => row.Array[0].Str)
                .ToHashSet(StringComparer.Ordinal);
            Assert.DoesNotContain(consumer.Acked, pending.Contains);
            var unconfirmed = consumer.Delivered.Except(consumer.AckSent).ToList();
            Assert.All(unconfirmed, id => Assert.Contains(id, pending));

            // Nothing delivered is handed out again as new.
            var next = RespValue.Parse(await check.CallAsync("XREADGROUP", "GROUP", "g", "after", "COUNT", "1000000", "STREAMS", "shared", ">"));
            var redelivered = next.IsNull ? [] : next.Array[0].Array[1].Array.Select(e => e.Array[0].Str).Intersect(consumer.Delivered).ToList();
            Assert.Empty(redelivered);
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The load did not make progress in time.");
            await Task.Delay(50);
        }
    }

    private static async Task<List<(string Id, Dictionary<string, string> Fields)>> RangeAsync(RespConnection connection, string key) =>
        [.. RespValue.Parse(await connection.CallAsync("XRANGE", key, "-", "+")).Array.Select(entry =>
        {
            var fields = entry.Array[1].Array;
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < fields.Count; i += 2)
            {
                map[fields[i].Str] = fields[i + 1].Str;
            }

            return (entry.Array[0].Str, map);
        })];

    // A writer: batches of pipelined XADDs alternating between its own stream and the shared one,
    // each reply recorded as it arrives, until the connection breaks.
    private static Writer WriteAsync(ServerProcess server, int id, CancellationToken stop)
    {
        var writer = new Writer(id);
        writer.Done = Task.Run(async () =>
        {
            try
            {
                await using var connection = await server.ConnectAsync();
                var sequence = 0;
                while (!stop.IsCancellationRequested)
                {
                    var batch = new List<(string Stream, string Sequence)>();
                    var commands = new StringBuilder();
                    for (var i = 0; i < Pipeline; i++)
                    {
                        var n = (++sequence).ToString(CultureInfo.InvariantCulture);
                        var own = i % 2 == 0;
                        batch.Add((own ? "own" : "shared", n));
                        commands.Append(own
                            ? Resp.CommandText("XADD", $"own:{id}", "*", "n", n)
                            : Resp.CommandText("XADD", "shared", "*", "w", id.ToString(CultureInfo.InvariantCulture), "n", n));
                    }

                    await connection.SendAsync(commands.ToString());
                    foreach (var (stream, n) in batch)
                    {
                        var reply = RespValue.Parse(await connection.ReadReplyAsync());
                        writer.Progress.Add((stream, reply.Str, n));
                    }
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or RespConnectionClosedException or TimeoutException)
            {
                // The server was killed.
            }
        });
        return writer;
    }

    // The consumer: reads new entries for the group and acknowledges them, recording what was
    // delivered (reply received), which acknowledgements were sent, and which were confirmed.
    private static Consumer ConsumeAsync(ServerProcess server, CancellationToken stop)
    {
        var consumer = new Consumer();
        consumer.Done = Task.Run(async () =>
        {
            try
            {
                await using var connection = await server.ConnectAsync();
                while (!stop.IsCancellationRequested)
                {
                    var read = RespValue.Parse(await connection.CallAsync("XREADGROUP", "GROUP", "g", "c", "COUNT", "20", "BLOCK", "100", "STREAMS", "shared", ">"));
                    if (read.IsNull)
                    {
                        continue;
                    }

                    var ids = read.Array[0].Array[1].Array.Select(e => e.Array[0].Str).ToList();
                    consumer.Delivered.AddRange(ids);

                    // Every other batch is left pending.
                    if (consumer.Delivered.Count / 20 % 2 == 0)
                    {
                        consumer.AckSent.AddRange(ids);
                        var acked = RespValue.Parse(await connection.CallAsync(["XACK", "shared", "g", .. ids])).Int;
                        Assert.Equal(ids.Count, acked);
                        consumer.Acked.AddRange(ids);
                    }
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or RespConnectionClosedException or TimeoutException)
            {
                // The server was killed.
            }
        });
        return consumer;
    }

    private sealed class Writer(int id)
    {
        public int Id { get; } = id;

        // Replied XADDs in reply order: the stream, the ID given, the n field sent.
        public List<(string Stream, string Id, string Sequence)> Progress { get; } = [];

        public Task Done { get; set; } = Task.CompletedTask;
    }

    private sealed class Consumer
    {
        public List<string> Delivered { get; } = [];

        public List<string> AckSent { get; } = [];

        public List<string> Acked { get; } = [];

        public Task Done { get; set; } = Task.CompletedTask;
    }
}
