using System.Collections.Concurrent;
using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class ConsumerWorkerTests(ServersFixture fixture) : ServerTests(fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static ConsumerOptions Fast(Action<ConsumerOptions>? configure = null)
    {
        var options = new ConsumerOptions
        {
            BlockTime = TimeSpan.FromMilliseconds(100),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
            ClaimMinIdle = TimeSpan.FromMilliseconds(300),
            ErrorBackoff = TimeSpan.FromMilliseconds(50),
            MaxDeliveries = 3,
        };
        configure?.Invoke(options);
        return options;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task worker)
    {
        await stop.CancelAsync();
        await worker.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Handles_and_acknowledges_every_entry(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("orders");
        for (var i = 0; i < 20; i++)
        {
            await client.StreamAddAsync(stream, "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var seen = new ConcurrentQueue<(string N, long Count, string Consumer)>();
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(stream, "g", "w1", (d, _) =>
        {
            seen.Enqueue((d.Entry.GetString("n")!, d.DeliveryCount, d.Consumer));
            return ValueTask.CompletedTask;
        }, Fast(), stop.Token);

        // Entries added while the worker runs arrive too.
        for (var i = 20; i < 30; i++)
        {
            await client.StreamAddAsync(stream, "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Eventually(async () => seen.Count >= 30 && (await client.StreamPendingAsync(stream, "g")).Count == 0, "30 entries handled and acknowledged");
        await StopAsync(stop, worker);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), seen.Select(s => s.N));
        Assert.All(seen, s => Assert.Equal(1, s.Count));
        Assert.All(seen, s => Assert.Equal("w1", s.Consumer));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Redelivers_an_entry_whose_handler_failed(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("orders");
        var failing = await client.StreamAddAsync(stream, "n", "fails-once");
        await client.StreamAddAsync(stream, "n", "fine");
        var attempts = new ConcurrentDictionary<string, List<long>>();
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(stream, "g", "w1", (d, _) =>
        {
            var n = d.Entry.GetString("n")!;
            var list = attempts.GetOrAdd(n, _ => []);
            lock (list)
            {
                list.Add(d.DeliveryCount);
            }

            return n == "fails-once" && d.DeliveryCount == 1 ? throw new InvalidOperationException("first attempt fails") : ValueTask.CompletedTask;
        }, Fast(), stop.Token);

        await Eventually(async () => attempts.TryGetValue("fails-once", out var a) && a.Count >= 2 && (await client.StreamPendingAsync(stream, "g")).Count == 0, "a retry that succeeds");
        await StopAsync(stop, worker);
        Assert.Equal([1L, 2L], attempts["fails-once"]);
        Assert.Equal([1L], attempts["fine"]);
        Assert.Equal(0, await client.StreamLengthAsync(stream + ":dead"));
        Assert.NotNull(failing);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Claims_the_entries_of_a_dead_consumer(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("orders");
        for (var i = 0; i < 5; i++)
        {
            await client.StreamAddAsync(stream, "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);
        // "crashed" takes three entries and never acknowledges them.
        Assert.Equal(3, (await client.StreamReadGroupAsync(stream, "g", "crashed", count: 3)).Count);

        var handled = new ConcurrentQueue<StreamDelivery>();
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(stream, "g", "survivor", (d, _) =>
        {
            handled.Enqueue(d);
            return ValueTask.CompletedTask;
        }, Fast(), stop.Token);

        await Eventually(async () => (await client.StreamPendingAsync(stream, "g")).Count == 0 && handled.Count >= 5, "the dead consumer's entries claimed");
        await StopAsync(stop, worker);
        var claimed = handled.Where(d => d.IsRetry).Select(d => d.Entry.GetString("n")!).Order().ToArray();
        Assert.Equal(["0", "1", "2"], claimed);
        Assert.All(handled, d => Assert.Equal("survivor", d.Consumer));
        Assert.Equal(["3", "4"], handled.Where(d => !d.IsRetry).Select(d => d.Entry.GetString("n")!).Order());
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Moves_an_entry_delivered_too_often_to_the_dead_letter_stream(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("orders");
        var poison = await client.StreamAddAsync(stream, [("n", "poison"), ("amount", "13")]);
        await client.StreamAddAsync(stream, "n", "good");
        var attempts = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(stream, "g", "w1", (d, _) =>
        {
            if (d.Entry.GetString("n") == "poison")
            {
                attempts.Enqueue(d.DeliveryCount);
                throw new InvalidOperationException("poison");
            }

            return ValueTask.CompletedTask;
        }, Fast(o => o.DeadLetterStream = stream + ":dlq"), stop.Token);

        await Eventually(async () => await client.StreamLengthAsync(stream + ":dlq") == 1 && (await client.StreamPendingAsync(stream, "g")).Count == 0, "the poison entry dead-lettered");
        await StopAsync(stop, worker);
        Assert.Equal([1L, 2L, 3L], attempts);
        var dead = Assert.Single(await client.StreamRangeAsync(stream + ":dlq"));
        Assert.Equal("poison", dead.GetString("n"));
        Assert.Equal("13", dead.GetString("amount"));
        Assert.Equal(poison.ToString(), dead.GetString(DeadLetterFields.OriginalId));
        Assert.Equal(stream, dead.GetString(DeadLetterFields.OriginalStream));
        Assert.Equal("g", dead.GetString(DeadLetterFields.Group));
        Assert.Equal("4", dead.GetString(DeadLetterFields.DeliveryCount));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Resumes_from_its_own_pending_entries(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("orders");
        for (var i = 0; i < 4; i++)
        {
            await client.StreamAddAsync(stream, "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);
        // A previous run of "w1" took two entries and stopped before acknowledging them.
        await client.StreamReadGroupAsync(stream, "g", "w1", count: 2);

        var handled = new ConcurrentQueue<StreamDelivery>();
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(stream, "g", "w1", (d, _) =>
        {
            handled.Enqueue(d);
            return ValueTask.CompletedTask;
        }, Fast(o => o.ClaimMinIdle = TimeSpan.FromMinutes(10)), stop.Token);

        await Eventually(async () => handled.Count >= 4 && (await client.StreamPendingAsync(stream, "g")).Count == 0, "pending and new entries handled");
        await StopAsync(stop, worker);
        Assert.Equal(["0", "1", "2", "3"], handled.Select(d => d.Entry.GetString("n")));
        Assert.True(handled.Take(2).All(d => d.IsRetry));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Runs_handlers_in_parallel_when_asked(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("orders");
        for (var i = 0; i < 40; i++)
        {
            await client.StreamAddAsync(stream, "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var running = 0;
        var maxRunning = 0;
        var done = 0;
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(stream, "g", "w1", async (d, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Delay(20, ct);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref done);
        }, Fast(o =>
        {
            o.MaxConcurrency = 4;
            o.BatchSize = 8;
        }), stop.Token);

        await Eventually(async () => Volatile.Read(ref done) >= 40 && (await client.StreamPendingAsync(stream, "g")).Count == 0, "40 entries handled");
        await StopAsync(stop, worker);
        Assert.InRange(maxRunning, 2, 4);
    });

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
