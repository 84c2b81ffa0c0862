using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// With a one-second collection age, idle stream activations leave memory (INFO's
/// grain_activations falls) and come back from storage exactly as they were; a stream with a
/// blocked reader is not collected, so the reader is still served.
/// </summary>
public sealed partial class DeactivationTests(StorageProviders providers) : IClassFixture<StorageProviders>
{
    [Theory]
    [MemberData(nameof(StorageProviders.All), MemberType = typeof(StorageProviders))]
    public async Task A_collected_stream_comes_back_identical(string provider)
    {
        await using var ours = await providers.CreateServerAsync(provider, "--grain-collection-age", "1");
        await ours.StartAsync();
        await RestartTests.RunAsync(ours, null, async () =>
        {
            await using var connection = await ours.ConnectAsync();
            var script = Script.Commands(
                "XADD s 1-1 a 1; XADD s 1-2 b 2 c 3; XADD s 2-0 a 4; XGROUP CREATE s g 0; XGROUP CREATE s h $; " +
                "XREADGROUP GROUP g alice COUNT 2 STREAMS s >; XREADGROUP GROUP g bob STREAMS s >; XACK s g 1-1; " +
                "XCLAIM s g carol 0 1-2 RETRYCOUNT 9; XDEL s 2-0; XSETID s 5-0 MAXDELETEDID 3-0; XGROUP CREATECONSUMER s h idle; " +
                "PEXPIREAT s 4102444800000");
            foreach (var command in script)
            {
                await connection.CallAsync(command);
            }

            // Many small changes: the journal outgrows the snapshot, so one is taken on the way.
            for (var i = 0; i < 3000; i++)
            {
                await connection.CallAsync("XADD", "long", "*", "payload", new string('x', 40 + (i % 7)));
                if (i % 3 == 0)
                {
                    await connection.CallAsync("XTRIM", "long", "MAXLEN", "~", "1000");
                }
            }

            var before = await StoredState.DumpAsync(connection);
            await WaitForActivationsAsync(connection, atMost: 1);
            Assert.Equal(before, await StoredState.DumpAsync(connection));
        });
    }

    [Fact]
    public async Task A_blocked_reader_keeps_its_stream_in_memory()
    {
        await using var ours = await providers.CreateServerAsync("sqlite", "--grain-collection-age", "1");
        await ours.StartAsync();
        await RestartTests.RunAsync(ours, null, async () =>
        {
            await using var reader = await ours.ConnectAsync();
            await using var writer = await ours.ConnectAsync();
            await writer.CallAsync("XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM");
            await reader.SendCommandAsync("XREADGROUP", "GROUP", "workers", "w1", "BLOCK", "0", "STREAMS", "jobs", ">");

            // Several collection ages pass; the keyspace grain and the blocked stream stay.
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.True(await ActivationsAsync(writer) >= 2);
            await writer.CallAsync("XADD", "jobs", "7-0", "task", "x");
            var served = Encoding.ASCII.GetString(await reader.ReadReplyAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("7-0", served, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_collected_stream_keeps_its_idle_time()
    {
        await using var ours = await providers.CreateServerAsync("sqlite", "--grain-collection-age", "1");
        await ours.StartAsync();
        await RestartTests.RunAsync(ours, null, async () =>
        {
            await using var connection = await ours.ConnectAsync();
            await connection.CallAsync("XADD", "s", "1-1", "a", "1");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await WaitForActivationsAsync(connection, atMost: 1);

            // Counted from the XADD's reply, so at least 3 s after the server noted the use.
            await Task.Delay(TimeSpan.FromSeconds(3.2) - clock.Elapsed);

            // OBJECT brings the grain back without using the key: the time is still the XADD's,
            // also once the grain is collected again.
            Assert.True(await IdleAsync() >= 3);
            await WaitForActivationsAsync(connection, atMost: 1);
            Assert.True(await IdleAsync() >= 3);
            await connection.CallAsync("XLEN", "s");
            Assert.True(await IdleAsync() <= 1);

            async Task<long> IdleAsync() =>
                long.Parse(Encoding.ASCII.GetString(await connection.CallAsync("OBJECT", "IDLETIME", "s"))[1..^2], CultureInfo.InvariantCulture);
        });
    }

    private static async Task WaitForActivationsAsync(RespConnection connection, int atMost)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await ActivationsAsync(connection) <= atMost)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Activations were not collected (still {await ActivationsAsync(connection)}).");
    }

    private static async Task<int> ActivationsAsync(RespConnection connection)
    {
        var info = Encoding.ASCII.GetString(await connection.CallAsync("INFO", "memory"));
        return int.Parse(Activations().Match(info).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"grain_activations:(\d+)")]
    private static partial Regex Activations();
}
