using Platform.EndToEnd.Tests.Infrastructure;
using Platform.EndToEnd.Tests.Streams;

namespace Platform.EndToEnd.Tests.Persistence;

/// <summary>
/// What the store failing does: a database file that is not one stops the start with a clear
/// error and is left as it was; PostgreSQL going away makes writes fail with Redis's MISCONF error
/// (the write that was in flight waits, it is not lost), and the server serves again when the
/// database is back.
/// </summary>
public sealed class StorageFailureTests(StorageProviders providers) : IClassFixture<StorageProviders>
{
    [Theory]
    [InlineData("not a database at all, just text")]
    [InlineData("SQLite format 3\0 and then garbage where the header's page size should be")]
    public async Task An_unreadable_database_file_stops_the_start_and_is_not_changed(string content)
    {
        var directory = Directory.CreateTempSubdirectory("platform-corrupt-").FullName;
        try
        {
            var file = Path.Combine(directory, "platform.db");
            var bytes = Encoding.Latin1.GetBytes(content + new string('x', 5000));
            await File.WriteAllBytesAsync(file, bytes);

            var run = await ExternalProcess.RunAsync(
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                [RepositoryLayout.ServerDll, "--port", "0", "--urls", "http://127.0.0.1:0", "--dir", directory],
                workingDirectory: Path.GetDirectoryName(RepositoryLayout.ServerDll),
                timeout: TimeSpan.FromSeconds(60));

            Assert.False(run.TimedOut, "The server kept running on an unreadable database.");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("Cannot start", run.StandardError, StringComparison.Ordinal);
            Assert.Contains(file, run.StandardError, StringComparison.Ordinal);
            Assert.Contains("not changed", run.StandardError, StringComparison.Ordinal);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
            Assert.Equal(["platform.db"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_server_on_a_postgresql_database_in_use_stops_at_start_and_the_first_serves_on()
    {
        var database = await providers.NewPostgresDatabaseAsync();
        await using var first = new PlatformServer(["--storage", "postgresql", "--postgres", database]);
        await first.StartAsync();
        await using var connection = await first.ConnectAsync();
        Assert.Equal("$3\r\n1-0\r\n", Encoding.ASCII.GetString(await connection.CallAsync("XADD", "s", "1-0", "a", "1")));

        var directory = Directory.CreateTempSubdirectory("platform-second-").FullName;
        try
        {
            var run = await ExternalProcess.RunAsync(
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                [RepositoryLayout.ServerDll, "--port", "0", "--urls", "http://127.0.0.1:0", "--dir", directory, "--storage", "postgresql", "--postgres", database],
                workingDirectory: Path.GetDirectoryName(RepositoryLayout.ServerDll),
                timeout: TimeSpan.FromSeconds(60));

            Assert.False(run.TimedOut, "A second server started on a database in use.");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("another platform server is using it", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        Assert.Equal("$3\r\n2-0\r\n", Encoding.ASCII.GetString(await connection.CallAsync("XADD", "s", "2-0", "a", "2")));
        Assert.Equal(":2\r\n", Encoding.ASCII.GetString(await connection.CallAsync("XLEN", "s")));
    }

    [Fact]
    public async Task Writes_fail_with_misconf_while_postgresql_is_down_and_nothing_replied_is_lost()
    {
        await using var ours = await providers.CreateServerAsync("postgresql");
        await ours.StartAsync();
        await RestartTests.RunAsync(ours, null, async () =>
        {
            await using var writer = await ours.ConnectAsync();
            await using var probe = await ours.ConnectAsync();
            Assert.Equal("$3\r\n1-0\r\n", Encoding.ASCII.GetString(await writer.CallAsync("XADD", "s", "1-0", "a", "1")));

            await providers.Postgres.StopAsync();

            // The write in flight when the store fails is kept and retried: its reply waits.
            await writer.SendCommandAsync("XADD", "s", "2-0", "a", "2");
            await RestartTests.WaitForAsync(probe, "aof_last_write_status:err");
            Assert.StartsWith(
                "-MISCONF Errors writing to the AOF file: ",
                Encoding.ASCII.GetString(await probe.CallAsync("XADD", "other", "*", "a", "1")),
                StringComparison.Ordinal);
            Assert.StartsWith("-MISCONF", Encoding.ASCII.GetString(await probe.CallAsync("PING")), StringComparison.Ordinal);
            var info = Encoding.ASCII.GetString(await probe.CallAsync("INFO", "persistence"));
            Assert.Contains("aof_last_write_status:err", info, StringComparison.Ordinal);
            Assert.Contains("storage_last_error:", info, StringComparison.Ordinal);

            await providers.Postgres.StartAgainAsync();
            Assert.Equal("$3\r\n2-0\r\n", Encoding.ASCII.GetString(await writer.ReadReplyAsync(TimeSpan.FromSeconds(30))));
            await RestartTests.WaitForAsync(probe, "aof_last_write_status:ok");
            Assert.Equal("$3\r\n3-0\r\n", Encoding.ASCII.GetString(await writer.CallAsync("XADD", "s", "3-0", "a", "3")));

            await ours.StopAsync(graceful: false);
            await ours.StartAsync();
            await using var again = await ours.ConnectAsync();
            var ids = RespValue.Parse(await again.CallAsync("XRANGE", "s", "-", "+")).Array.Select(e => e.Array[0].Str);
            Assert.Equal(["1-0", "2-0", "3-0"], ids);
            Assert.Equal(":0\r\n", Encoding.ASCII.GetString(await again.CallAsync("EXISTS", "other")));
        });
    }
}
