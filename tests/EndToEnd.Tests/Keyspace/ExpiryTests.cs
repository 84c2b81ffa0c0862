using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;
using static Platform.EndToEnd.Tests.Streams.SessionCase;

namespace Platform.EndToEnd.Tests.Keyspace;

/// <summary>
/// Expiry as time passes, against redis-server: lazy expiry (a key read or touched after its TTL is gone) and
/// active expiry (a key nobody touches leaves DBSIZE and INFO keyspace by itself), in several
/// databases; and a stream renamed with its groups, PEL and expiry intact.
/// </summary>
public sealed class ExpiryTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private static readonly Func<string, string> Keyspace = t => KeyspaceCommandTests.AvgTtl(KeyspaceCommandTests.SortedArrays(StreamMasks.Volatile(t)));

    public static readonly SessionCase[] Cases =
    [
        new("lazy expiry", [
            On('A', "XADD k 1 f v; XADD keep 1 f v; PEXPIRE k 50; EXISTS k"),
            Pause(150),
            On('A', "EXISTS k; XLEN k; TYPE k; TTL k; XADD k NOMKSTREAM 2 f v; EXISTS keep")]),
        new("lazy expiry of a stream with groups", [
            On('A', "XADD k 1 f v; XGROUP CREATE k g 0; XREADGROUP GROUP g c STREAMS k >; PEXPIRE k 50"),
            Pause(150),
            On('A', "XPENDING k g; XINFO GROUPS k; XADD k 5 f v; XINFO GROUPS k")]),
        new("TOUCH of an expired key", [
            On('A', "XADD k 1 f v; XADD keep 1 f v; PEXPIRE k 50; TOUCH k keep"),
            Pause(150),
            On('A', "TOUCH k keep k; EXISTS k; DBSIZE")]),
        new("lazy expiry in another database", [
            On('A', "SELECT 4; XADD k 1 f v; PEXPIRE k 50; SELECT 0; XADD k 1 f v"),
            Pause(150),
            On('A', "EXISTS k; SELECT 4; EXISTS k; SELECT 0; EXISTS k")]),
        new("active expiry", [
            On('A', "XADD a 1 f v; XADD b 1 f v; XADD keep 1 f v; PEXPIRE a 100; PEXPIRE b 200; SELECT 2; XADD c 1 f v; PEXPIRE c 100; DBSIZE"),
            Pause(1500),
            On('B', "DBSIZE; KEYS *; INFO keyspace; SELECT 2; DBSIZE")], Keyspace),
        new("expired key in KEYS and SCAN", [
            On('A', "XADD a 1 f v; XADD b 1 f v; PEXPIRE a 50"),
            Pause(150),
            On('A', "KEYS *; SCAN 0; RANDOMKEY; EXISTS a")], Keyspace),
        new("RENAME with expiry then expiry", [
            On('A', "XADD a 1 f v; PEXPIRE a 300; RENAME a b; EXISTS a b; TTL b"),
            Pause(500),
            On('A', "EXISTS a b")]),
        new("PERSIST saves the key", [
            On('A', "XADD a 1 f v; PEXPIRE a 100; PERSIST a"),
            Pause(300),
            On('A', "EXISTS a; TTL a")]),
    ];

    private static readonly Dictionary<string, SessionCase> ByName = Cases.ToDictionary(c => c.Name);

    public static TheoryData<string, int> Rows => SessionCase.Rows(Cases, 2, 3);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Expiry_behaves_as_redis_s(string name, int protocol) => SessionRunner.RunAsync(fixture, ByName[name], protocol);

    [Fact]
    public Task Rename_moves_groups_and_pending_entries_intact() => fixture.RunAsync(async () =>
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        await connection.SendAsync(Script.Parse(
            "SELECT 11; FLUSHDB; XADD s 1 a 1; XADD s 2 b 2; XADD s 3 c 3; XGROUP CREATE s g 0; XGROUP CREATE s h 2; " +
            "XREADGROUP GROUP g alice COUNT 2 STREAMS s >; XREADGROUP GROUP g bob STREAMS s >; XREADGROUP GROUP h carol STREAMS s >; " +
            "XCLAIM s g carol 0 1 RETRYCOUNT 5; XDEL s 2; EXPIRE s 1000"));
        await connection.ReadRepliesAsync(13);

        var before = StreamMasks.Volatile(RespFrame.Render(await connection.CallAsync("XINFO", "STREAM", "s", "FULL")));
        var pendingBefore = StreamMasks.Volatile(RespFrame.Render(await connection.CallAsync("XPENDING", "s", "g", "-", "+", "10")));
        Assert.Equal(":1"u8.ToArray().Concat("\r\n"u8.ToArray()), await connection.CallAsync("EXISTS", "s"));
        Assert.Equal("+OK\r\n"u8.ToArray(), await connection.CallAsync("RENAME", "s", "t"));

        var after = StreamMasks.Volatile(RespFrame.Render(await connection.CallAsync("XINFO", "STREAM", "t", "FULL")));
        var pendingAfter = StreamMasks.Volatile(RespFrame.Render(await connection.CallAsync("XPENDING", "t", "g", "-", "+", "10")));
        Assert.Equal(before, after);
        Assert.Equal(pendingBefore, pendingAfter);
        // The expiry moved with the key: TTL rounds to the second, and on a loaded machine more than half
        // a second may pass between the EXPIRE and here.
        var ttl = long.Parse(Encoding.ASCII.GetString(await connection.CallAsync("TTL", "t")).Trim(':', '\r', '\n'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 990, 1000);
        Assert.Equal(":0\r\n"u8.ToArray(), await connection.CallAsync("EXISTS", "s"));
        await connection.CallAsync("FLUSHDB");
    });
}
