using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>
/// A container's HELP has Redis's layout (header, "NAME args" lines with indented descriptions,
/// the HELP footer) but lists only the subcommands this server has, so it is not compared byte for
/// byte: its header and footer are, and every subcommand it lists must exist here.
/// </summary>
public sealed class HelpTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    [Theory]
    [InlineData("CLIENT")]
    [InlineData("COMMAND")]
    [InlineData("CONFIG")]
    [InlineData("PUBSUB")]
    [InlineData("OBJECT")]
    [InlineData("SLOWLOG")]
    [InlineData("MEMORY")]
    public Task Help_has_redis_s_layout_and_lists_only_what_exists(string container) => fixture.RunAsync(async () =>
    {
        var ours = await LinesAsync(fixture.Ours, container);
        var redis = await LinesAsync(fixture.Redis, container);
        Assert.Equal(redis[0], ours[0]);
        Assert.Equal(redis[^2..], ours[^2..]);

        await using var connection = await fixture.Ours.ConnectAsync();
        var info = Encoding.Latin1.GetString(await connection.CallAsync("COMMAND", "INFO", container));
        foreach (var line in ours[1..^2].Where(l => l.Length > 0 && l[0] != ' ' && l[0] != '('))
        {
            var subcommand = line.Split(' ')[0].ToLowerInvariant();
            Assert.Contains($"{container.ToLowerInvariant()}|{subcommand}\r\n", info);
        }
    });

    private static async Task<string[]> LinesAsync(ServerProcess server, string container)
    {
        await using var connection = await server.ConnectAsync();
        var reply = Encoding.Latin1.GetString(await connection.CallAsync(container, "HELP"));
        var lines = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("*", lines[0]);
        Assert.All(lines[1..], line => Assert.StartsWith("+", line));
        return [.. lines[1..].Select(line => line[1..])];
    }
}
