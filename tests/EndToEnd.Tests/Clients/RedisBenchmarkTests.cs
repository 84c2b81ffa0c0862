using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>
/// Debian's redis-benchmark against ours: the bench/ scripts drive it, so it must run as it
/// does against Redis, without a warning, and what it sends must all arrive.
/// </summary>
public sealed class RedisBenchmarkTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    [Fact]
    public Task Pipelined_xadds_from_several_clients_all_land_without_a_warning() => fixture.RunAsync(async () =>
    {
        await using var connection = await fixture.Ours.ConnectAsync();
        await connection.CallAsync("DEL", "bench:stream");

        // It reads CONFIG GET save and appendonly first, and warns unless both answer a pair.
        var result = await ExternalProcess.RunAsync(
            "redis-benchmark",
            ["-h", "127.0.0.1", "-p", fixture.Ours.Port.ToString(CultureInfo.InvariantCulture), "-n", "1000", "-c", "10", "-P", "4", "-q",
                "XADD", "bench:stream", "*", "f", "v"],
            input: null,
            timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0 && !result.TimedOut, result.ToString());
        Assert.DoesNotContain("WARNING", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.Equal(":1000\r\n", Encoding.ASCII.GetString(await connection.CallAsync("XLEN", "bench:stream")));
    });
}
