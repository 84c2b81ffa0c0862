using System.Collections.Concurrent;
using System.Diagnostics;
using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

/// <summary>Each test has a server of its own, which it kills and starts again on the same port.</summary>
public sealed class ReconnectTests
{
    public static TheoryData<string> Servers => new() { "redis", "ours" };

    private static ServerProcess Create(string server) => server == "redis"
        // Persistent, so that a stream survives the restart as it does on ours.
        ? new RedisServer(["--appendonly", "yes", "--appendfsync", "always"])
        : new PlatformServer([]);

    private static async Task WithServerAsync(string server, Func<ServerProcess, Task> test)
    {
        await using var process = Create(server);
        await process.StartAsync();
        try
        {
            await test(process).WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (Exception e)
        {
            throw new ServerTestFailure($"[{server}] {e.GetType().Name}: {e.Message}\n--- {server} log ---\n{process.ReadLog()}", e);
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > (patience ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Commands_in_flight_fail_at_once_and_clearly_when_the_connection_drops(string server) => WithServerAsync(server, async process =>
    {
        await using var client = await PlatformClient.ConnectAsync(process.ClientOptions(o => o.ReconnectTimeout = TimeSpan.FromSeconds(2)));
        var failures = new ConcurrentQueue<Exception>();
        var succeeded = 0L;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            while (true)
            {
                var batch = Enumerable.Range(0, 20).Select(i => client.ExecuteAsync("ECHO", $"{t}:{i}").AsTask()).ToArray();
                try
                {
                    await Task.WhenAll(batch);
                    Interlocked.Add(ref succeeded, batch.Length);
                }
                catch
                {
                    foreach (var failed in batch.Where(b => b.IsFaulted))
                    {
                        failures.Enqueue(failed.Exception!.InnerException!);
                    }

                    return;
                }
            }
        })).ToArray();

        await Eventually(() => Task.FromResult(Interlocked.Read(ref succeeded) > 2000), "commands flowing");
        // A blocking command sent through the untyped API holds the shared connection: every command
        // behind it is surely in flight when the server dies.
        var blocker = client.ExecuteAsync("XREAD", "BLOCK", "0", "STREAMS", "never-written", "$").AsTask();
        await Task.Delay(300);
        var killed = Stopwatch.StartNew();
        await process.KillAsync();
        var lost = await Assert.ThrowsAsync<PlatformConnectionException>(() => blocker.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(lost.CommandMayHaveRun);
        Assert.Contains("was lost", lost.Message, StringComparison.Ordinal);
        Assert.Contains("XREAD", lost.Message, StringComparison.Ordinal);
        // Every caller hears of it: nothing hangs.
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(8), $"failures took {killed.Elapsed}");

        Assert.NotEmpty(failures);
        var connectionFailures = failures.OfType<PlatformConnectionException>().ToArray();
        Assert.Equal(failures.Count, connectionFailures.Length);
        // Those in flight say the connection was lost and whether the command may have run.
        Assert.True(
            connectionFailures.Any(e => e.Message.Contains("was lost", StringComparison.Ordinal)),
            string.Join("\n", failures.Select(f => $"{f.GetType().Name}: {f.Message}").Distinct()));
        Assert.All(connectionFailures.Where(e => e.CommandMayHaveRun), e => Assert.Contains("may have run", e.Message, StringComparison.Ordinal));
        Assert.All(connectionFailures.Where(e => !e.CommandMayHaveRun), e => Assert.Matches("did not run|was not sent", e.Message));

        await process.RestartAsync();
        Assert.Equal("back", (await client.ExecuteAsync("ECHO", "back")).ToString());
        Assert.True(client.ConnectionCount >= 2);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task New_commands_wait_for_the_reconnect(string server) => WithServerAsync(server, async process =>
    {
        await using var client = await PlatformClient.ConnectAsync(process.ClientOptions());
        await process.KillAsync();
        await Eventually(() => Task.FromResult(!client.IsConnected), "the client to notice");
        var ping = client.PingAsync().AsTask();
        await Task.Delay(500);
        Assert.False(ping.IsCompleted);
        await process.RestartAsync();
        await ping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, client.ConnectionCount);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task New_commands_fail_clearly_when_the_server_stays_away(string server) => WithServerAsync(server, async process =>
    {
        await using var client = await PlatformClient.ConnectAsync(process.ClientOptions(o => o.ReconnectTimeout = TimeSpan.FromSeconds(1)));
        await process.KillAsync();
        await Eventually(() => Task.FromResult(!client.IsConnected), "the client to notice");
        var started = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PlatformConnectionException>(async () => await client.PublishAsync("c", "m"));
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        Assert.False(error.CommandMayHaveRun);
        Assert.Contains("Not connected", error.Message, StringComparison.Ordinal);
        Assert.Contains("was not sent", error.Message, StringComparison.Ordinal);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Subscriptions_receive_again_after_the_server_restarts(string server) => WithServerAsync(server, async process =>
    {
        await using var client = await PlatformClient.ConnectAsync(process.ClientOptions());
        await using var channel = await client.SubscribeAsync("restart-news");
        await using var pattern = await client.SubscribePatternAsync("restart-*");
        Assert.Equal(2, await client.PublishAsync("restart-news", "before"));
        Assert.Equal("before", (await channel.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).PayloadString);
        Assert.Equal("before", (await pattern.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).PayloadString);

        await process.RestartAsync();
        await Eventually(() => Task.FromResult(client.SubscriptionConnectionCount >= 2), "the subscription connection to come back");
        // Once resubscribed, both subscriptions hear the channel again.
        await Eventually(async () => await client.PublishAsync("restart-news", "probe") == 2, "both subscriptions restored");
        Assert.Equal(2, await client.PublishAsync("restart-news", "after"));

        async Task<string> NextNonProbe(ChannelSubscription subscription)
        {
            while (true)
            {
                var message = await subscription.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                if (message.PayloadString != "probe")
                {
                    return message.PayloadString;
                }
            }
        }

        Assert.Equal("after", await NextNonProbe(channel));
        var fromPattern = await NextNonProbe(pattern);
        Assert.Equal("after", fromPattern);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_blocked_read_fails_clearly_when_the_server_dies(string server) => WithServerAsync(server, async process =>
    {
        await using var client = await PlatformClient.ConnectAsync(process.ClientOptions());
        var blocked = client.StreamReadAsync("blocked-stream", StreamPosition.NewEntries, block: TimeSpan.Zero).AsTask();
        await Task.Delay(300);
        if (blocked.IsFaulted)
        {
            // Surfaces the server's error (e.g. a command it does not have yet).
            await blocked;
        }

        await process.KillAsync();
        var error = await Assert.ThrowsAsync<PlatformConnectionException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(error.CommandMayHaveRun);
        Assert.Contains("XREAD", error.Message, StringComparison.Ordinal);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_worker_resumes_from_its_pending_entries_after_a_restart(string server) => WithServerAsync(server, async process =>
    {
        // New commands wait at most 1 s for a reconnect: the XACK below fails rather than waiting for the restart.
        await using var client = await PlatformClient.ConnectAsync(process.ClientOptions(o => o.ReconnectTimeout = TimeSpan.FromSeconds(1)));
        const string Stream = "resume-orders";
        var id = await client.StreamAddAsync(Stream, "n", "1");
        var firstDelivery = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deliveries = new ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var worker = client.ConsumeAsync(Stream, "g", "w1", async (d, _) =>
        {
            deliveries.Enqueue(d.DeliveryCount);
            firstDelivery.TrySetResult();
            await release.Task;
        }, new ConsumerOptions
        {
            BlockTime = TimeSpan.FromMilliseconds(100),
            ClaimMinIdle = TimeSpan.FromMinutes(10),
            ErrorBackoff = TimeSpan.FromMilliseconds(100),
        }, stop.Token);

        await firstDelivery.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // The server dies while the handler runs and stays away: its XACK cannot reach the server,
        // so the entry stays pending; once the server is back the worker starts again from its PEL.
        await process.KillAsync();
        release.SetResult();
        await Task.Delay(2500);
        await process.RestartAsync();

        await Eventually(async () => deliveries.Count >= 2 && (await client.StreamPendingAsync(Stream, "g")).Count == 0, "the pending entry handled again and acknowledged");
        await stop.CancelAsync();
        await worker.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, deliveries.First());
        Assert.True(deliveries.Last() >= 2);
        Assert.NotNull(id);
    });
}
