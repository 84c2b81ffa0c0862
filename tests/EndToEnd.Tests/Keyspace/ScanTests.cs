using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;

namespace Platform.EndToEnd.Tests.Keyspace;

/// <summary>
/// SCAN's guarantee, on ours (and on Redis, to show the test itself is right): a full iteration
/// returns every key that existed throughout it, whatever the COUNT, while other keys come and go
/// between pages; duplicates are allowed. MATCH and TYPE filter; the cursor ends at 0.
/// </summary>
public sealed class ScanTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const int Stable = 150;

    public static TheoryData<string, int> Rows()
    {
        var rows = new TheoryData<string, int>();
        foreach (var server in new[] { "ours", "redis" })
        {
            for (var count = 1; count <= 10; count++)
            {
                rows.Add(server, count);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Full_iteration_returns_every_key_that_existed_throughout(string server, int count) => fixture.RunAsync(async () =>
    {
        var process = server == "ours" ? fixture.Ours : fixture.Redis;
        await using var connection = await process.ConnectAsync();
        var db = (count + 5).ToString(CultureInfo.InvariantCulture);
        await connection.CallAsync("SELECT", db);
        await connection.CallAsync("FLUSHDB");
        var stable = Enumerable.Range(0, Stable).Select(i => $"key:{i}").ToHashSet(StringComparer.Ordinal);
        await connection.SendAsync(string.Concat(stable.Select(k => Resp.CommandText("XADD", k, "1", "f", "v"))));
        await connection.ReadRepliesAsync(Stable);

        var seen = new List<string>();
        var cursor = "0";
        var pages = 0;
        var churn = 0;
        do
        {
            var page = RespValue.Parse(await connection.CallAsync("SCAN", cursor, "COUNT", count.ToString(CultureInfo.InvariantCulture))).Array;
            cursor = page[0].Str;
            seen.AddRange(page[1].Array.Select(k => k.Str));
            pages++;
            Assert.True(pages < 10_000, "SCAN did not end");

            // Keys come and go between pages.
            var added = $"tmp:{churn++}";
            await connection.CallAsync("XADD", added, "1", "f", "v");
            if (churn % 3 == 0)
            {
                await connection.CallAsync("DEL", $"tmp:{churn - 2}");
            }
        }
        while (cursor != "0");

        var missing = stable.Where(k => !seen.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"{server} COUNT {count}: {missing.Count} keys never returned, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.All(seen, k => Assert.True(stable.Contains(k) || k.StartsWith("tmp:", StringComparison.Ordinal), $"unexpected key {k}"));

        // MATCH and TYPE over a full iteration.
        var expected = stable.Where(k => k.StartsWith("key:1", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await FullScanAsync(connection, "MATCH", "key:1*", "COUNT", count.ToString(CultureInfo.InvariantCulture), "TYPE", "stream"));
        Assert.Empty(await FullScanAsync(connection, "COUNT", "50", "TYPE", "string"));
        await connection.CallAsync("FLUSHDB");
    });

    /// <summary>
    /// Our SCAN order is made by a database's first SCAN (and kept from then on): keys created and
    /// deleted before it, and after it, are all where they should be.
    /// </summary>
    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task Keys_made_and_deleted_before_and_after_the_first_scan_are_found_as_they_stand(string server) => fixture.RunAsync(async () =>
    {
        var process = server == "ours" ? fixture.Ours : fixture.Redis;
        await using var connection = await process.ConnectAsync();
        await connection.CallAsync("SELECT", "3");
        await connection.CallAsync("FLUSHDB");
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await connection.CallAsync("XADD", key, "1", "f", "v");
        }

        await connection.CallAsync("DEL", "b");
        Assert.Equal(["a", "c", "d"], await FullScanAsync(connection, "COUNT", "2"));

        await connection.CallAsync("XADD", "e", "1", "f", "v");
        await connection.CallAsync("DEL", "a");
        await connection.CallAsync("XADD", "b", "1", "f", "v");
        Assert.Equal(["b", "c", "d", "e"], await FullScanAsync(connection, "COUNT", "2"));
        await connection.CallAsync("FLUSHDB");
    });

    // The keys a full iteration returns, each once, in order; options are SCAN's (MATCH, COUNT, TYPE).
    private static async Task<List<string>> FullScanAsync(RespConnection connection, params string[] options)
    {
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            var page = RespValue.Parse(await connection.CallAsync(["SCAN", cursor, .. options])).Array;
            cursor = page[0].Str;
            keys.AddRange(page[1].Array.Select(k => k.Str));
        }
        while (cursor != "0");

        return [.. keys.Distinct().Order(StringComparer.Ordinal)];
    }
}
