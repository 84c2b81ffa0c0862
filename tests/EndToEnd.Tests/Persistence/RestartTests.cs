using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// Streams built through redis-cli and redis-py (groups, pending entries, claims, deletions, trims,
/// binary names, expiry, several databases) come back after a restart exactly as they were: after a
/// graceful stop, and after kill -9 under appendfsync always. The same commands on redis-server
/// give the same state, so what comes back is also right.
/// </summary>
public sealed class RestartTests(StorageProviders providers) : IClassFixture<StorageProviders>
{
    private const string Python = "/usr/bin/python3";

    // redis-cli reads commands from stdin, one connection: database 0 and database 3.
    private const string CliScript = """
        XADD cli:chat 1-1 user ann text hello
        XADD cli:chat 1-2 user bob text hi
        XADD cli:chat 2-0 user ann text "how are you?"
        XADD cli:chat 3-0 user cy text "bye now"
        XGROUP CREATE cli:chat readers 0
        XGROUP CREATE cli:chat archive $ ENTRIESREAD 4
        XREADGROUP GROUP readers r1 COUNT 2 STREAMS cli:chat >
        XREADGROUP GROUP readers r2 COUNT 1 STREAMS cli:chat >
        XACK cli:chat readers 1-1
        XCLAIM cli:chat readers r3 0 1-2 RETRYCOUNT 5
        XDEL cli:chat 2-0
        XSETID cli:chat 10-0 ENTRIESADDED 12 MAXDELETEDID 5-0
        XADD cli:capped MAXLEN 3 5-* a 1
        XADD cli:capped MAXLEN 3 5-* a 2
        XADD cli:capped MAXLEN 3 6-* a 3
        XADD cli:capped MAXLEN = 3 6-* a 4
        XGROUP CREATE cli:empty g $ MKSTREAM
        XADD cli:renamed-from 1-0 k v
        RENAME cli:renamed-from cli:renamed-to
        XADD cli:deleted 1-0 k v
        DEL cli:deleted
        COPY cli:chat cli:chat-copy
        COPY cli:chat chat-copy DB 3
        XADD cli:moved 1-0 k v
        XGROUP CREATE cli:moved g 0
        XREADGROUP GROUP g c STREAMS cli:moved >
        MOVE cli:moved 3
        SELECT 3
        XADD db3:stream 7-7 in db3
        PEXPIREAT db3:stream 4102444800000
        XGROUP CREATE db3:stream g 0
        XREADGROUP GROUP g c STREAMS db3:stream >
        """;

    [Theory]
    [MemberData(nameof(StorageProviders.All), MemberType = typeof(StorageProviders))]
    public async Task Streams_come_back_after_a_restart_as_they_were(string provider)
    {
        await using var ours = await providers.CreateServerAsync(provider);
        await using var redis = new RedisServer([]);
        await Task.WhenAll(ours.StartAsync(), redis.StartAsync());
        await RunAsync(ours, redis, async () =>
        {
            foreach (var server in new ServerProcess[] { ours, redis })
            {
                await BuildAsync(server.Port, round: 1);
            }

            var built = await DumpAsync(ours);
            Assert.Equal(Comparable(await DumpAsync(redis)), Comparable(built));

            Assert.Equal(0, await ours.StopAsync(graceful: true));
            await ours.StartAsync();
            Assert.Equal(built, await DumpAsync(ours));

            // Changes after the restart are kept too, and a crash loses nothing replied to (always).
            foreach (var server in new ServerProcess[] { ours, redis })
            {
                await BuildAsync(server.Port, round: 2);
            }

            var changed = await DumpAsync(ours);
            Assert.Equal(Comparable(await DumpAsync(redis)), Comparable(changed));
            await ours.StopAsync(graceful: false);
            await ours.StartAsync();
            Assert.Equal(changed, await DumpAsync(ours));
        });
    }

    [Theory]
    [MemberData(nameof(StorageProviders.All), MemberType = typeof(StorageProviders))]
    public async Task Deleted_flushed_and_expired_keys_stay_gone(string provider)
    {
        await using var ours = await providers.CreateServerAsync(provider);
        await ours.StartAsync();
        await RunAsync(ours, null, async () =>
        {
            await using (var connection = await ours.ConnectAsync())
            {
                foreach (var command in new[]
                {
                    "XADD kept 1-0 a 1", "XADD deleted 1-0 a 1", "DEL deleted", "XADD expiring 1-0 a 1", "PEXPIRE expiring 300",
                    "SELECT 5", "XADD flushed 1-0 a 1", "FLUSHDB", "SELECT 6", "XADD flushed-all 1-0 a 1", "FLUSHALL", "XADD after-flush 1-0 a 1",
                })
                {
                    await connection.CallAsync(command.Split(' '));
                }
            }

            await ours.StopAsync(graceful: false);
            await Task.Delay(400);
            await ours.StartAsync();
            await using var again = await ours.ConnectAsync();
            await again.CallAsync("SELECT", "6");
            Assert.Equal(":1\r\n", Encoding.ASCII.GetString(await again.CallAsync("EXISTS", "after-flush")));
            Assert.Equal("*0\r\n", Encoding.ASCII.GetString(await again.CallAsync("KEYS", "flushed*")));
            await again.CallAsync("SELECT", "5");
            Assert.Equal(":0\r\n", Encoding.ASCII.GetString(await again.CallAsync("DBSIZE")));
            await again.CallAsync("SELECT", "0");
            Assert.Equal(":0\r\n", Encoding.ASCII.GetString(await again.CallAsync("EXISTS", "deleted", "expiring", "kept")));
        });
    }

    [Fact]
    public async Task SHUTDOWN_stops_the_server_keeping_what_it_must()
    {
        await using var ours = await providers.CreateServerAsync("sqlite", "--appendfsync", "no");
        await ours.StartAsync();
        await RunAsync(ours, null, async () =>
        {
            // SAVE first: what was only in memory is kept. The client is closed without a reply.
            await using (var connection = await ours.ConnectAsync())
            {
                await connection.CallAsync("XADD", "kept", "1-0", "a", "1");
                await connection.SendAsync(Resp.CommandText("SHUTDOWN", "SAVE") + Resp.CommandText("PING"));
                var (data, closed) = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
                Assert.True(closed);
                Assert.Equal("", Encoding.ASCII.GetString(data));
            }

            Assert.Equal(0, await ours.StopAsync(graceful: true));
            await ours.StartAsync();

            // NOSAVE: under appendfsync no, unsaved changes go with the process.
            await using (var connection = await ours.ConnectAsync())
            {
                Assert.Equal(":1\r\n", Encoding.ASCII.GetString(await connection.CallAsync("EXISTS", "kept")));
                await connection.CallAsync("XADD", "lost", "1-0", "a", "1");
                await connection.SendCommandAsync("SHUTDOWN", "NOSAVE");
                Assert.True((await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(10))).Closed);
            }

            Assert.Equal(0, await ours.StopAsync(graceful: true));
            await ours.StartAsync();
            await using var again = await ours.ConnectAsync();
            Assert.Equal(":1\r\n", Encoding.ASCII.GetString(await again.CallAsync("EXISTS", "kept", "lost")));
        });
    }

    [Fact]
    public async Task SHUTDOWN_SAVE_while_a_BGSAVE_runs_saves_after_it_and_stops()
    {
        await using var ours = await providers.CreateServerAsync("sqlite", "--appendfsync", "no");
        await ours.StartAsync();
        await RunAsync(ours, null, async () =>
        {
            // In one batch: the BGSAVE is still running when SHUTDOWN SAVE comes, and the XADD
            // between them may be missed by it. Redis kills a running BGSAVE and saves anew.
            await using (var connection = await ours.ConnectAsync())
            {
                await connection.CallAsync("XADD", "before", "1-0", "a", "1");
                await connection.SendAsync(
                    Resp.CommandText("BGSAVE") + Resp.CommandText("XADD", "between", "1-0", "a", "1") + Resp.CommandText("SHUTDOWN", "SAVE"));
                var (data, closed) = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(30));
                Assert.True(closed);
                Assert.Equal("+Background saving started\r\n$3\r\n1-0\r\n", Encoding.ASCII.GetString(data));
            }

            Assert.Equal(0, await ours.StopAsync(graceful: true));
            await ours.StartAsync();
            await using var again = await ours.ConnectAsync();
            Assert.Equal(":2\r\n", Encoding.ASCII.GetString(await again.CallAsync("EXISTS", "before", "between")));
        });
    }

    [Fact]
    public async Task Appendfsync_no_keeps_changes_in_memory_until_a_save()
    {
        await using var ours = await providers.CreateServerAsync("sqlite", "--appendfsync", "no");
        await ours.StartAsync();
        await RunAsync(ours, null, async () =>
        {
            await using (var connection = await ours.ConnectAsync())
            {
                Assert.Contains("aof_enabled:0", Encoding.ASCII.GetString(await connection.CallAsync("INFO", "persistence")), StringComparison.Ordinal);
                await connection.CallAsync("XADD", "saved", "1-0", "a", "1");
                Assert.Equal("+OK\r\n", Encoding.ASCII.GetString(await connection.CallAsync("SAVE")));
                await connection.CallAsync("XADD", "saved", "2-0", "a", "2");
                await connection.CallAsync("XADD", "unsaved", "1-0", "a", "1");
            }

            await ours.StopAsync(graceful: false);
            await ours.StartAsync();
            await using var again = await ours.ConnectAsync();
            Assert.Equal(["1-0"], RespValue.Parse(await again.CallAsync("XRANGE", "saved", "-", "+")).Array.Select(e => e.Array[0].Str));
            Assert.Equal(":0\r\n", Encoding.ASCII.GetString(await again.CallAsync("EXISTS", "unsaved")));

            // Back to always: what was changed in memory meanwhile is stored (a background save).
            await again.CallAsync("XADD", "saved", "3-0", "a", "3");
            Assert.Equal("+OK\r\n", Encoding.ASCII.GetString(await again.CallAsync("CONFIG", "SET", "appendfsync", "always")));
            Assert.EndsWith("$3\r\nyes\r\n", Encoding.ASCII.GetString(await again.CallAsync("CONFIG", "GET", "appendonly")), StringComparison.Ordinal);
            await WaitForAsync(again, "rdb_bgsave_in_progress:0");
            await again.CallAsync("XADD", "saved", "4-0", "a", "4");
            await ours.StopAsync(graceful: false);
            await ours.StartAsync();
            await using var third = await ours.ConnectAsync();
            // 2-0 was added under no and never saved before the crash: it is gone.
            var ids = RespValue.Parse(await third.CallAsync("XRANGE", "saved", "-", "+")).Array.Select(e => e.Array[0].Str);
            Assert.Equal(["1-0", "3-0", "4-0"], ids);
        });
    }

    [Fact]
    public async Task Save_bgsave_and_lastsave_report_what_the_store_did()
    {
        await using var ours = await providers.CreateServerAsync("sqlite");
        await ours.StartAsync();
        await RunAsync(ours, null, async () =>
        {
            await using var connection = await ours.ConnectAsync();
            await connection.CallAsync("XADD", "s", "1-0", "a", "1");
            var info = Encoding.ASCII.GetString(await connection.CallAsync("INFO", "persistence"));
            Assert.Contains("rdb_changes_since_last_save:1\r\n", info, StringComparison.Ordinal);
            Assert.Contains("rdb_saves:0\r\n", info, StringComparison.Ordinal);
            Assert.Contains("aof_enabled:1\r\n", info, StringComparison.Ordinal);
            Assert.Contains("aof_last_write_status:ok\r\n", info, StringComparison.Ordinal);
            Assert.Contains("storage_provider:sqlite\r\n", info, StringComparison.Ordinal);

            Assert.Equal("+OK\r\n", Encoding.ASCII.GetString(await connection.CallAsync("SAVE")));
            info = Encoding.ASCII.GetString(await connection.CallAsync("INFO", "persistence"));
            Assert.Contains("rdb_changes_since_last_save:0\r\n", info, StringComparison.Ordinal);
            Assert.Contains("rdb_saves:1\r\n", info, StringComparison.Ordinal);
            Assert.Contains("rdb_last_bgsave_status:ok\r\n", info, StringComparison.Ordinal);
            var lastSave = long.Parse(Encoding.ASCII.GetString(await connection.CallAsync("LASTSAVE"))[1..^2], CultureInfo.InvariantCulture);
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - lastSave, 0, 60);

            Assert.Equal("+Background saving started\r\n", Encoding.ASCII.GetString(await connection.CallAsync("BGSAVE")));
            await WaitForAsync(connection, "rdb_saves:2\r\n");
            Assert.Equal("-ERR syntax error\r\n", Encoding.ASCII.GetString(await connection.CallAsync("BGSAVE", "NOW")));
        });
    }

    internal static async Task RunAsync(ServerProcess ours, ServerProcess? redis, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            var logs = $"--- ours: ---\n{ours.ReadLog()}" + (redis is null ? "" : $"\n--- redis: ---\n{redis.ReadLog()}");
            throw new ServerTestFailure($"{e.Message}\n\n{logs}", e);
        }
    }

    internal static async Task WaitForAsync(RespConnection connection, string infoLine)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (Encoding.ASCII.GetString(await connection.CallAsync("INFO", "persistence")).Contains(infoLine, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"INFO persistence never showed {infoLine.Trim()}.");
    }

    private static async Task BuildAsync(int port, int round)
    {
        if (round == 1)
        {
            var cli = await ExternalProcess.RunAsync("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture)], CliScript);
            Assert.True(cli.ExitCode == 0, $"redis-cli: {cli}");
        }

        var script = Path.Combine(RepositoryLayout.PythonClients, "persistence_build.py");
        var py = await ExternalProcess.RunAsync(Python, [script, port.ToString(CultureInfo.InvariantCulture), round.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(py.ExitCode == 0 && py.StandardOutput.Trim() == "ok", $"persistence_build.py round {round}: {py}");
    }

    private static async Task<string> DumpAsync(ServerProcess server)
    {
        await using var connection = await server.ConnectAsync();
        return await StoredState.DumpAsync(connection, 0) + await StoredState.DumpAsync(connection, 3);
    }

    // Ours beside redis-server: the clocks differ, and XINFO's radix-tree-nodes is our estimate.
    private static string Comparable(string dump) => StreamMasks.VolatileAndTimeIds(dump);
}
