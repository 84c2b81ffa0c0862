using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// Under appendfsync always a connection's replies wait for the commit of what its commands
/// changed. Whoever commits (the event loop itself on SQLite, the journal's writer on PostgreSQL),
/// the replies go out from the event loop, as every read does: INFO stats counts none off it.
/// </summary>
public sealed class ReplyPathTests(StorageProviders providers) : IClassFixture<StorageProviders>
{
    private const int Connections = 4;
    private const int Rounds = 20;
    private const int Pipeline = 16;

    [Theory]
    [MemberData(nameof(StorageProviders.All), MemberType = typeof(StorageProviders))]
    public async Task Replies_a_commit_releases_go_out_from_the_event_loop(string provider)
    {
        await using var ours = await providers.CreateServerAsync(provider);
        await ours.StartAsync();

        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async c =>
        {
            await using var client = await ours.ConnectAsync();
            for (var round = 0; round < Rounds; round++)
            {
                var pipeline = string.Concat(Enumerable.Range(0, Pipeline).Select(i => Resp.CommandText("XADD", $"s{(c + i) % 3}", "*", "n", $"{round}")));
                await client.SendAsync(pipeline);
                Assert.All(await client.ReadRepliesAsync(Pipeline), reply => Assert.StartsWith("$", Encoding.ASCII.GetString(reply), StringComparison.Ordinal));
            }
        }));

        await using var check = await ours.ConnectAsync();
        var stats = Encoding.ASCII.GetString(await check.CallAsync("INFO", "stats"));
        Assert.True(Field(stats, "total_writes_processed") >= Connections * Rounds, stats);
        Assert.Equal(0, Field(stats, "io_threaded_reads_processed"));
        Assert.Equal(0, Field(stats, "io_threaded_writes_processed"));
    }

    private static long Field(string info, string name) =>
        long.Parse(info.Split("\r\n").Single(line => line.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
