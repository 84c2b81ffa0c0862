using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests;

/// <summary>What the host around the server starts beside it.</summary>
public sealed class HostingTests
{
    // Linux's name for the thread that reads inotify events for every FileSystemWatcher (cut to 15 characters).
    private const string WatcherThread = ".NET File Watch";

    /// <summary>
    /// Configuration is read once, so no file is watched: a watcher follows the whole content root,
    /// the data directory by default lies under it, and each journal write would wake the watcher.
    /// </summary>
    [Fact]
    public async Task Writing_to_storage_wakes_no_file_watcher()
    {
        await using var server = new PlatformServer(["--appendfsync", "always"]);
        await server.StartAsync();
        await using var client = await server.ConnectAsync();
        for (var i = 1; i <= 100; i++)
        {
            var id = $"{i}-0";
            Assert.Equal($"${id.Length}\r\n{id}\r\n", Encoding.Latin1.GetString(await client.CallAsync("XADD", "s", id, "f", "v")));
        }

        Assert.DoesNotContain(WatcherThread, server.ThreadNames());
    }
}
